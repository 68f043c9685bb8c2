// Package authz is Guild's permission engine: it decides whether a company
// user or a super admin may use a permission code on a company (and, at level
// 1, on a record), from the subject's role, the permission levels and the
// companies' statuses and account hierarchy. It is pure: no I/O, no database,
// no mutable globals. The caller supplies the world as a Companies snapshot.
//
// # Permissions and levels
//
// Predefined returns the vendor's 40 predefined permission codes (seed 002),
// byte-exact and in the vendor's order, each with the levels it allows:
// 1 (User: own records), 2 (Company: the own company), 3 (Company and
// subsidiaries: the own company and every company below it in the account
// hierarchy). A role may grant a code only at a level the code allows
// (CheckGrant). Custom permissions are defined per store; the vendor's API
// gives them no level restriction, so a custom permission allows all three
// levels unless its Levels say otherwise.
//
// # Predefined roles
//
// PredefinedRoles returns Admin (role 0), Senior Buyer (1) and Junior Buyer
// (2). ROLES.md lists every code and level; in short:
//
//   - Admin: every predefined code at level 3. Every code allows level 3, and
//     the vendor's company admin manages subsidiaries; in a company with no
//     subsidiaries level 3 reaches exactly what level 2 does.
//   - Senior Buyer: buys for the company. Addresses (read only), invoices
//     (read, export, pay), orders, quotes and shopping lists at level 2,
//     approve_draft_shopping_list and purchase_enable at 2, get_users and
//     get_user_detail at 2; create_quote at 1 (the code allows only 1 or 3).
//     No address or user management, no roles, no subsidiaries, and no
//     submit_shopping_list_for_approval (a senior buyer's lists need no
//     approval).
//   - Junior Buyer: prepares purchases for others to approve. Addresses
//     (read) at 2 (their only levels); own orders, quotes and shopping lists
//     at 1, including create_quote and submit_shopping_list_for_approval. No
//     purchase_enable and no checkout_with_quote: the vendor's known hole was
//     a junior buyer reaching checkout; here the server refuses it. No
//     invoices, users or roles.
//
// # Decisions
//
// Decide applies, in order: the subject's own company must be approved; the
// company acted on must be the own company or a strict descendant of it (for a
// super admin: assigned to them); the role must grant the code at the level
// the company/record needs (1 for the subject's own record in the own company,
// 2 for the rest of the own company, 3 for a subsidiary); the company acted on
// must be approved. Its Reason distinguishes a company that is out of reach or
// unknown (answer 404: do not reveal that it exists) from a refusal (403).
//
// # Company status
//
// Only approved companies act and are acted on. A user of a pending, rejected
// or inactive company (or of a company that no longer exists) is refused every
// permission code with ReasonCompanyNotApproved; what stays available to them
// is their own profile, GET /api/v3/buyer/me, which is not a permission code,
// so they can see why. For a super admin only the status of the company acted
// on matters.
//
// # Super admins
//
// A super admin acts with the predefined Admin role's grants (Subject.Role is
// ignored), but only on companies explicitly assigned to them: assignment is
// not inherited through the hierarchy (a subsidiary of an assigned company is
// out of reach unless it is assigned too). An assigned company counts as the
// super admin's own company, so level 2 is needed there (1 for their own
// records). Custom permission codes are not in the Admin role, so a super
// admin is never granted them.
package authz
