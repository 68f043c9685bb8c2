package bigcommerce_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/guild-b2b/guild/internal/bcemu"
	"github.com/guild-b2b/guild/internal/bigcommerce"
)

// A connector's round: a group for a company, its users as customers, a
// create that meets an email already there, and what to do with each kind
// of error.
func Example() {
	emu, _ := bcemu.New(bcemu.Options{StoreHash: "abc123", Token: "secret"})
	srv := httptest.NewServer(emu)
	defer srv.Close()

	c, err := bigcommerce.New(bigcommerce.Options{BaseURL: srv.URL, StoreHash: "abc123", Token: "secret"})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	g, _ := c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("Acme Ltd")})
	made, _ := c.CreateCustomers(ctx, []bigcommerce.NewCustomer{
		{Email: "ann@acme.example", FirstName: "Ann", LastName: "Lee", CustomerGroupID: g.ID},
	})
	fmt.Println("group", g.ID, "customer", made[0].ID)

	_, err = c.CreateCustomers(ctx, []bigcommerce.NewCustomer{
		{Email: "ANN@acme.example", FirstName: "Ann", LastName: "Lee"},
	})
	var e *bigcommerce.Error
	if errors.As(err, &e) {
		switch e.Kind {
		case bigcommerce.KindValidation:
			fmt.Println("refused:", e.ItemErrors(0)["email"])
			found, _ := c.CustomersByEmail(ctx, []string{"ann@acme.example"})
			fmt.Println("already there as customer", found[0].ID)
		case bigcommerce.KindUnauthorized:
			// stop the store's sync until it is reconnected
		case bigcommerce.KindTransient, bigcommerce.KindRateLimited:
			// try again later (e.RetryAfter says when, for a rate limit)
		}
	}
	// Output:
	// group 1 customer 1
	// refused: The email address ANN@acme.example is already in use by customer 1.
	// already there as customer 1
}
