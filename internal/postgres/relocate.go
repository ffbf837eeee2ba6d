package postgres

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// relocate returns where the cluster of dir lives. That is dir, unless this
// process runs as root and the postgres user cannot reach dir: then it is
// Place(dir, fallback), and dir is made a symbolic link to it so that people
// and `make clean` find it.
func relocate(dir, fallback string, logw io.Writer) (string, error) {
	if os.Geteuid() != 0 {
		return dir, nil
	}
	uid, gid, err := postgresUser()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	closed := closedTo(dir, uid, gid)
	if closed == "" {
		return dir, nil
	}
	place := Place(dir, fallback)
	for _, d := range []string{fallback, filepath.Dir(place)} { // open to the postgres user whatever the umask
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", fmt.Errorf("postgres: the postgres user cannot enter %s; making %s for the cluster: %w", closed, place, err)
		}
		if err := os.Chmod(d, 0o755); err != nil {
			return "", err
		}
	}
	if p := closedTo(place, uid, gid); p != "" {
		return "", fmt.Errorf("postgres: the postgres user can reach neither %s (%s is closed to it) nor %s (%s is): set DATA_DIR elsewhere", dir, closed, place, p)
	}
	if target, err := os.Readlink(dir); err != nil || target != place {
		switch info, err := os.Lstat(dir); {
		case errors.Is(err, os.ErrNotExist):
		case err == nil && info.Mode()&os.ModeSymlink != 0:
			if err := os.Remove(dir); err != nil {
				return "", err
			}
		default:
			return "", fmt.Errorf("postgres: the postgres user cannot enter %s, so the cluster belongs in %s, but %s is in the way: move it there or remove it", closed, place, dir)
		}
		if err := os.Symlink(place, dir); err != nil {
			return "", err
		}
	}
	fmt.Fprintf(logw, "postgres: the postgres user cannot enter %s, so the cluster lives in %s (%s links to it; make clean removes it)\n", closed, place, dir)
	return place, nil
}

// Place is where the cluster of dir lives when it cannot live in dir:
// fallback/<dir's folder as a name, with a hash of it>/<dir's last element>.
// The name stays the same for the same dir, so the data is kept across runs,
// and differs between checkouts.
func Place(dir, fallback string) string {
	parent := filepath.Dir(dir)
	sum := sha256.Sum256([]byte(parent))
	name := strings.Trim(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' {
			return r
		}
		return '-'
	}, parent), "-.")
	if len(name) > 32 { // the socket's path must stay under 108 bytes
		name = strings.TrimLeft(name[len(name)-32:], "-.")
	}
	if name != "" {
		name += "-"
	}
	return filepath.Join(fallback, name+hex.EncodeToString(sum[:4]), filepath.Base(dir))
}

// postgresUser returns the ids of the postgres system user.
func postgresUser() (uid, gid int, err error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: running as root needs the postgres system user (it comes with the Debian package postgresql): %w", err)
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid, nil
}

// closedTo returns the first existing folder above dir that the user uid
// (group gid) may not pass through, or "" when it may reach dir.
func closedTo(dir string, uid, gid int) string {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		if info, err := os.Stat(p); err == nil {
			perm := info.Mode().Perm()
			may := perm&0o001 != 0
			if st, ok := info.Sys().(*syscall.Stat_t); ok {
				switch {
				case int(st.Uid) == uid:
					may = perm&0o100 != 0
				case int(st.Gid) == gid:
					may = perm&0o010 != 0
				}
			}
			if !may {
				return p
			}
		}
		if p == filepath.Dir(p) {
			return ""
		}
	}
}
