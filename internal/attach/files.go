// Package attach keeps the bytes of company attachments in the data directory
// and decides, from their content, whether a file is of an accepted type.
package attach

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/google/uuid"
)

// Files stores attachment bytes under <data-dir>/attachments/<tenant>/<company>/<id>.
type Files struct {
	root string
}

// NewFiles returns the attachment store of a data directory. Directories are
// created on the first write.
func NewFiles(dataDir string) *Files {
	return &Files{root: filepath.Join(dataDir, "attachments")}
}

func (f *Files) companyDir(tenantID, companyID int64) string {
	return filepath.Join(f.root, strconv.FormatInt(tenantID, 10), strconv.FormatInt(companyID, 10))
}

func (f *Files) path(tenantID, companyID int64, id string) (string, error) {
	// Only canonical UUIDs reach the file system: no path tricks.
	u, err := uuid.Parse(id)
	if err != nil || u.String() != id {
		return "", fmt.Errorf("attachment id %q is not a UUID", id)
	}
	return filepath.Join(f.companyDir(tenantID, companyID), id), nil
}

// Save writes data durably: to a temporary file, synced, then renamed.
func (f *Files) Save(tenantID, companyID int64, id string, data []byte) error {
	path, err := f.path(tenantID, companyID, id)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create attachment directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("create attachment file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write attachment: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync attachment: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close attachment: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	return nil
}

// Open opens an attachment's bytes for reading.
func (f *Files) Open(tenantID, companyID int64, id string) (*os.File, error) {
	path, err := f.path(tenantID, companyID, id)
	if err != nil {
		return nil, err
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open attachment %s: %w", id, err)
	}
	return file, nil
}

// Remove deletes an attachment's bytes; a missing file is not an error.
func (f *Files) Remove(tenantID, companyID int64, id string) error {
	path, err := f.path(tenantID, companyID, id)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove attachment %s: %w", id, err)
	}
	return nil
}

// RemoveCompany deletes every attachment of a company.
func (f *Files) RemoveCompany(tenantID, companyID int64) error {
	if err := os.RemoveAll(f.companyDir(tenantID, companyID)); err != nil {
		return fmt.Errorf("remove attachments of company %d: %w", companyID, err)
	}
	return nil
}
