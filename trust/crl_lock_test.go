package trust

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The concurrent-process tests re-run this test binary as an importer: with
// childImportEnv set, TestMain imports one CRL and exits instead of running tests.
const childImportEnv = "MYNASIGN_TEST_CRL_IMPORT_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childImportEnv) != "" {
		os.Exit(importChild())
	}
	code := m.Run()
	for _, f := range cleanups {
		f()
	}
	os.Exit(code)
}

// cleanups run when every test and benchmark has finished (for files that several
// benchmarks of the process share).
var cleanups []func()

func registerCleanup(f func()) { cleanups = append(cleanups, f) }

// importChild is the child process: it says it is ready, waits for the start signal,
// imports its CRL (pausing for the given delay between its decision and its renames) and
// prints the statuses as JSON.
func importChild() int {
	store, crl, ready, start := os.Getenv("CHILD_STORE"), os.Getenv("CHILD_CRL"), os.Getenv("CHILD_READY"), os.Getenv("CHILD_START")
	delay, _ := strconv.Atoi(os.Getenv("CHILD_DELAY_US"))
	ts, err := LoadTrustStore(StoreTest)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ts.builtinCRLs = nil
	testHookDecided = func() { time.Sleep(time.Duration(delay) * time.Microsecond) }
	if err := os.WriteFile(ready, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Microsecond) {
		if _, err := os.Stat(start); err == nil {
			break
		}
		if time.Now().After(deadline) {
			fmt.Fprintln(os.Stderr, "no start signal")
			return 2
		}
	}
	res, err := OpenStore(store).Import(ts, crl)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	json.NewEncoder(os.Stdout).Encode(res)
	return 0
}

// revokingCRLs writes two CRLs of the sign-ca-2023 scope: number 10, which lists nobody,
// and number 11, which revokes the "valid" persona's signature certificate.
func revokingCRLs(t *testing.T, dir string) (older, newer string) {
	t.Helper()
	now := time.Now()
	victim := persona(t, "valid").SignCert.SerialNumber
	older = filepath.Join(dir, "older.crl")
	newer = filepath.Join(dir, "newer.crl")
	if err := os.WriteFile(older, makeCRL(t, "sign-ca-2023", 10, now.Add(-2*time.Hour), now.Add(24*time.Hour), nil, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	entries := []x509.RevocationListEntry{{SerialNumber: victim, RevocationTime: now.Add(-90 * time.Minute), ReasonCode: 1}}
	if err := os.WriteFile(newer, makeCRL(t, "sign-ca-2023", 11, now.Add(-time.Hour), now.Add(24*time.Hour), entries, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	return older, newer
}

// assertNewerInstalled checks that the store holds CRL 11 and that the victim is revoked.
func assertNewerInstalled(t *testing.T, store *Store, run string) {
	t.Helper()
	list, err := store.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Number != "11" {
		var nums []string
		for _, c := range list {
			nums = append(nums, c.Number)
		}
		t.Errorf("%s: the store holds CRL %v, want 11 (the newer)", run, nums)
		return
	}
	p := policyOn(t, testStoreNoBuiltin(t), store.Dir(), time.Now())
	if r := p.CheckSigner(persona(t, "valid").SignCert, nil, nil); r.Revocation == nil || r.Revocation.Status != RevocationRevoked {
		t.Errorf("%s: the revocation is lost: %s/%s %+v", run, r.Indication, r.SubIndication, r.Revocation)
	}
}

// TestConcurrentImportProcesses: two processes import an older and a newer CRL of one
// scope at the same moment, each pausing a random while between its decision and its
// renames (the window in which, without the lock, the older one overwrote the newer).
// In every run the newer CRL is the one installed and the revocation it carries holds.
func TestConcurrentImportProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	older, newer := revokingCRLs(t, t.TempDir())
	const runs = 8
	for run := 0; run < runs; run++ {
		name := "run " + strconv.Itoa(run)
		work := t.TempDir()
		store := OpenStore(filepath.Join(work, "store"))
		start := filepath.Join(work, "start")
		// Half the runs start from an empty store, half from one holding the older CRL
		// (then the older import must say "older" or leave the newer in place).
		if run%2 == 1 {
			if _, err := store.Import(testStoreNoBuiltin(t), older); err != nil {
				t.Fatal(err)
			}
		}
		type child struct {
			cmd  *exec.Cmd
			out  []byte
			err  error
			done chan struct{}
		}
		var children []*child
		for i, crl := range []string{older, newer} {
			ready := filepath.Join(work, "ready"+strconv.Itoa(i))
			cmd := exec.Command(exe, "-test.run=^$")
			cmd.Env = append(os.Environ(), childImportEnv+"=1",
				"CHILD_STORE="+store.Dir(), "CHILD_CRL="+crl, "CHILD_READY="+ready, "CHILD_START="+start,
				"CHILD_DELAY_US="+strconv.Itoa(rand.IntN(50_000)))
			cmd.Stderr = os.Stderr
			c := &child{cmd: cmd, done: make(chan struct{})}
			go func() {
				defer close(c.done)
				c.out, c.err = cmd.Output()
			}()
			children = append(children, c)
			for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
				if _, err := os.Stat(ready); err == nil {
					break
				}
				select {
				case <-c.done:
					t.Fatalf("%s: child ended before it was ready: %v\n%s", name, c.err, c.out)
				default:
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: child not ready", name)
				}
			}
		}
		if err := os.WriteFile(start, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		for i, c := range children {
			<-c.done
			if c.err != nil {
				t.Fatalf("%s: child %d: %v\n%s", name, i, c.err, c.out)
			}
		}
		// The newer import always installs its CRL (over nothing or over the older).
		var res ImportResult
		if err := json.Unmarshal(children[1].out, &res); err != nil || len(res.CRLs) != 1 || res.CRLs[0].Status != ImportAdded {
			t.Errorf("%s: the newer import said %s (%v)", name, children[1].out, err)
		}
		assertNewerInstalled(t, store, name)
	}
}

// TestConcurrentImportGoroutines: imports of CRLs 1…n of one scope, all at once in one
// process, leave CRL n installed; every import reports a status that agrees with that.
func TestConcurrentImportGoroutines(t *testing.T) {
	ts := testStoreNoBuiltin(t)
	src := t.TempDir()
	now := time.Now()
	const n = 8
	var paths []string
	for i := 1; i <= n; i++ {
		p := filepath.Join(src, "crl"+strconv.Itoa(i)+".crl")
		if err := os.WriteFile(p, makeCRL(t, "sign-ca-2023", int64(i), now.Add(-time.Hour), now.Add(time.Hour), nil, nil), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	defer func() { testHookDecided = nil }()
	testHookDecided = func() { time.Sleep(time.Duration(rand.IntN(5000)) * time.Microsecond) }
	for round := 0; round < 4; round++ {
		store := OpenStore(filepath.Join(t.TempDir(), "store"))
		var wg sync.WaitGroup
		errs := make([]error, n)
		added := make([]bool, n)
		for i := range paths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := store.Import(ts, paths[i])
				errs[i] = err
				added[i] = err == nil && res.CRLs[0].Status == ImportAdded
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if !added[n-1] {
			t.Errorf("round %d: the newest CRL was not reported imported", round)
		}
		list, err := store.List()
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Number != strconv.Itoa(n) {
			var nums []string
			for _, c := range list {
				nums = append(nums, c.Number)
			}
			t.Errorf("round %d: the store holds CRL %v, want %d", round, nums, n)
		}
	}
}

// While another holder has the store's lock, an import waits, then (after lockWait)
// fails with trust.crl.store_busy leaving no file behind; once the lock is released it
// succeeds. A removal waits the same way.
func TestImportWaitsForTheLock(t *testing.T) {
	ts := testStoreNoBuiltin(t)
	older, newer := revokingCRLs(t, t.TempDir())
	store := OpenStore(t.TempDir())
	if _, err := store.Import(ts, older); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, store.Dir())
	saved := lockWait
	defer func() { lockWait = saved }()
	lockWait = 300 * time.Millisecond

	unlock, err := store.lock()
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.Import(ts, newer)
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Errors) != 1 || ie.Errors[0].Reason.Key != MsgCRLStoreBusy || !errors.Is(err, errStoreBusy) {
		t.Fatalf("import while the store is locked: %v", err)
	}
	if !sameSnapshot(before, snapshot(t, store.Dir())) {
		t.Fatal("a refused import changed the store")
	}
	list, _ := store.List()
	if _, err := store.Remove(list[0].ID); !errors.Is(err, errStoreBusy) {
		t.Fatalf("removal while the store is locked: %v", err)
	}

	// Released while an import waits: the import goes on.
	lockWait = time.Minute
	done := make(chan error)
	go func() {
		_, err := store.Import(ts, newer)
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("the import did not wait for the lock: %v", err)
	default:
	}
	unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	assertNewerInstalled(t, store, "after the wait")
}
