package main

// The registry's accounts: a file the registry reads again whenever it has changed, so that a run
// can issue a token or revoke one while the registry serves, as GHCR does: a new personal access
// token works at once, and an old one keeps working until it is revoked or expires
// (docs.github.com, "Managing your personal access tokens"). A username may hold several tokens.
// The file holds each password's SHA-256, never the password:
//
//	[{"username": "e2e-deploy", "passwordSha256": "<64 hex digits>"}, ...]
//
// Whoever changes it writes a new file and renames it over the old one (e2e/registry.ts), so a
// read never sees half a file. The log names usernames only.

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Account is one line of the file: a username and one of its passwords' SHA-256, in hex.
type Account struct {
	Username       string `json:"username"`
	PasswordSHA256 string `json:"passwordSha256"`
}

// AccountsEvent is the log line of each read of the file, and of each failed one.
type AccountsEvent struct {
	Event string `json:"event"`
	Time  string `json:"time"`
	// The usernames of the accounts now accepted, one per password, in the file's order.
	Usernames []string `json:"usernames"`
	// Why the file was not taken (the accounts read before stay): never its content.
	Error string `json:"error,omitempty"`
}

type account struct {
	// Both as digests: compared in constant time, the comparison tells nothing of where they differ.
	username [sha256.Size]byte
	password [sha256.Size]byte
	name     string
}

// Accounts are the accounts of a file, as it was when last read.
type Accounts struct {
	path     string
	mu       sync.Mutex
	read     os.FileInfo
	accounts []account
	// The last failure logged, so that a bad file is logged once, not at every request.
	failure string
}

// NewAccounts reads nothing yet: Refresh reads the file.
func NewAccounts(path string) *Accounts {
	return &Accounts{path: path}
}

// parseAccounts checks every account of the file. Its errors quote nothing of the file (a JSON
// syntax error would quote a character of it).
func parseAccounts(data []byte) ([]account, error) {
	var entries []Account
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("not a JSON list of {username, passwordSha256}")
	}
	accounts := make([]account, 0, len(entries))
	for i, entry := range entries {
		digest, err := hex.DecodeString(entry.PasswordSHA256)
		if entry.Username == "" || err != nil || len(digest) != sha256.Size {
			return nil, fmt.Errorf("account %d: a username and the password's SHA-256 in hex are both required", i+1)
		}
		a := account{username: sha256.Sum256([]byte(entry.Username)), name: entry.Username}
		copy(a.password[:], digest)
		accounts = append(accounts, a)
	}
	return accounts, nil
}

// Refresh reads the file if it is not the one read last (another file renamed over it, or the same
// one written to) and logs what it read. A file that cannot be read or parsed leaves the accounts
// as they were, and is logged once; Refresh returns its error.
func (a *Accounts) Refresh(log func(any)) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	f, err := os.Open(a.path)
	if err != nil {
		return a.failed(log, err)
	}
	defer f.Close()
	// The content and the file information of one open file: a rename meanwhile is seen next time.
	info, err := f.Stat()
	if err != nil {
		return a.failed(log, err)
	}
	if a.read != nil && os.SameFile(info, a.read) && info.ModTime().Equal(a.read.ModTime()) &&
		info.Size() == a.read.Size() {
		return nil
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return a.failed(log, err)
	}
	accounts, err := parseAccounts(data)
	if err != nil {
		return a.failed(log, fmt.Errorf("%s: %w", a.path, err))
	}
	a.read, a.accounts, a.failure = info, accounts, ""
	usernames := make([]string, len(accounts))
	for i, account := range accounts {
		usernames[i] = account.name
	}
	log(AccountsEvent{Event: "accounts", Time: now(), Usernames: usernames})
	return nil
}

func (a *Accounts) failed(log func(any), err error) error {
	if err.Error() != a.failure {
		a.failure = err.Error()
		usernames := make([]string, len(a.accounts))
		for i, account := range a.accounts {
			usernames[i] = account.name
		}
		log(AccountsEvent{Event: "accounts", Time: now(), Usernames: usernames, Error: a.failure})
	}
	return err
}

// Allows says whether the username and password are one of the accounts, as the file says now.
func (a *Accounts) Allows(username, password string, log func(any)) bool {
	// A failure is logged; the accounts read before still hold.
	_ = a.Refresh(log)
	a.mu.Lock()
	defer a.mu.Unlock()
	user, pass := sha256.Sum256([]byte(username)), sha256.Sum256([]byte(password))
	allowed := 0
	// Every account is compared, whichever matches.
	for _, account := range a.accounts {
		allowed |= subtle.ConstantTimeCompare(user[:], account.username[:]) &
			subtle.ConstantTimeCompare(pass[:], account.password[:])
	}
	return allowed == 1
}

func now() string {
	return time.Now().UTC().Format(time.RFC3339Nano)
}
