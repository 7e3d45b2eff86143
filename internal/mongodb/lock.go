package mongodb

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/wellbase/wellbase"
)

// Document locks on FerretDB (see the package doc, "FerretDB"): a lock is a document of
// colLocks whose key field is unique (index locks_key, a UNIQUE index in FerretDB's SQLite
// table, checked inside the insert's own transaction), so that of several inserts of one key
// only one succeeds, whatever process sends it. Each acquisition has its own random _id, and
// is deleted by that _id alone: by its holder when done, or by a waiter once it has expired.
// FerretDB deletes by _id ("DELETE … WHERE _id IN (…)"), so a delete never removes a later
// acquisition of the same key, whatever it read before.
const colLocks = "locks"

// Lock timing. lockTTL bounds how long a holder may keep a lock: the sections it guards are a
// few reads and writes of one document (milliseconds; about a second under heavy load), and a
// process killed while holding one blocks the document for at most lockTTL. Expiry compares
// the holder's clock with the waiter's: the processes sharing a FerretDB must have clocks
// within a small part of lockTTL of each other (one machine, or NTP).
const (
	lockTTL = 10 * time.Second
	// lockMaxWait bounds the wait for a lock when ctx has no earlier deadline: a dead holder's
	// lock is taken over after lockTTL, so only endless contention waits this long.
	lockMaxWait = 2*lockTTL + 5*time.Second
	lockPollMin = 2 * time.Millisecond
	lockPollMax = 100 * time.Millisecond
)

// errLocked is the error of tryLockDoc when another process holds the lock.
var errLocked = errors.New("document locked by another process")

// lockDocument is a document of colLocks: one acquisition of the lock of Key.
type lockDocument struct {
	ID        string    `bson:"_id"` // random, one per acquisition
	Key       string    `bson:"key"` // "<collection>/<document _id>": index locks_key, unique
	ExpiresAt time.Time `bson:"expires_at"`
}

// lockDoc serializes the updates of the document id of collection coll when the server does not
// make single-document updates atomic (FerretDB, see the package doc), across the goroutines of
// this process and across every process using the database, and returns the function that
// unlocks it. It waits for the lock until ctx ends or lockMaxWait has passed: then it fails,
// with ctx's error or EUnavailable. On MongoDB it does nothing. A caller holds at most one lock
// at a time, so locks cannot deadlock.
func (db *DB) lockDoc(ctx context.Context, coll, id string) (unlock func(), err error) {
	return db.lock(ctx, coll, id, true)
}

// tryLockDoc is lockDoc without the wait: if another process holds the lock it returns
// errLocked at once (a lock past its expiry is taken over).
func (db *DB) tryLockDoc(ctx context.Context, coll, id string) (unlock func(), err error) {
	return db.lock(ctx, coll, id, false)
}

func (db *DB) lock(ctx context.Context, coll, id string, wait bool) (func(), error) {
	if !db.ferret {
		return func() {}, nil
	}
	key := coll + "/" + id
	// One goroutine of this process at a time asks the server; the others wait here.
	local, err := db.local.lock(ctx, key)
	if err != nil {
		return nil, wrap("lock "+key, err)
	}
	unlock, err := db.lockRemote(ctx, key, wait)
	if err != nil {
		local()
		return nil, err
	}
	return func() { unlock(); local() }, nil
}

// lockRemote takes the lock of key in colLocks (see lockDoc).
func (db *DB) lockRemote(ctx context.Context, key string, wait bool) (func(), error) {
	locks := db.coll(colLocks)
	b := make([]byte, 12)
	crand.Read(b)
	token := hex.EncodeToString(b)
	deadline := time.Now().Add(lockMaxWait)
	poll := lockPollMin
	for {
		now := time.Now()
		if now.After(deadline) {
			return nil, wellbase.Unavailable("the database is busy; retry shortly",
				errors.New("mongodb: lock "+key+": held by other processes for over "+lockMaxWait.String()))
		}
		_, err := locks.InsertOne(ctx, &lockDocument{ID: token, Key: key, ExpiresAt: now.Add(lockTTL)})
		if err == nil {
			return func() {
				// The section is done whatever ctx says; if this delete fails, the lock expires.
				dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
				defer cancel()
				locks.DeleteOne(dctx, bson.D{{Key: "_id", Value: token}})
			}, nil
		}
		if !isDup(err) {
			return nil, wrap("lock "+key, err)
		}
		var held lockDocument
		err = findOne(ctx, locks, bson.D{{Key: "key", Value: key}}, &held)
		switch {
		case isNoDoc(err):
			continue // released meanwhile
		case err != nil:
			return nil, wrap("lock "+key, err)
		case !held.ExpiresAt.After(now):
			// Its holder died (or overran lockTTL): remove that acquisition, and only it.
			if _, err := locks.DeleteOne(ctx, bson.D{{Key: "_id", Value: held.ID}}); err != nil {
				return nil, wrap("lock "+key+": remove an expired lock", err)
			}
			continue
		case !wait:
			return nil, errLocked
		}
		// Jittered, growing waits: contenders do not retry in step.
		d := poll/2 + rand.N(poll)
		poll = min(2*poll, lockPollMax)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, wrap("lock "+key, ctx.Err())
		case <-t.C:
		}
	}
}

// createLockIndex creates locks_key, the unique index that makes a lock's insert exclusive, on
// FerretDB only (MongoDB takes no locks).
func (db *DB) createLockIndex(ctx context.Context) error {
	if !db.ferret {
		return nil
	}
	_, err := db.coll(colLocks).Indexes().CreateOne(ctx, mongo.IndexModel{Keys: asc("key"),
		Options: options.Index().SetName("locks_key").SetUnique(true)})
	return wrap("create index locks_key", err)
}

// keyLocks are in-process locks by key, waited for with a context.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	ch   chan struct{} // holds one token while locked
	refs int           // holders and waiters
}

// lock locks key; the returned function unlocks it. It fails with ctx's error if ctx ends first.
func (k *keyLocks) lock(ctx context.Context, key string) (func(), error) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyLock{}
	}
	l := k.m[key]
	if l == nil {
		l = &keyLock{ch: make(chan struct{}, 1)}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()
	select {
	case l.ch <- struct{}{}:
		return func() {
			<-l.ch
			k.done(key, l)
		}, nil
	case <-ctx.Done():
		k.done(key, l)
		return nil, ctx.Err()
	}
}

// done drops a reference to l, and l itself when no one holds or waits for it.
func (k *keyLocks) done(key string, l *keyLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if l.refs--; l.refs == 0 {
		delete(k.m, key)
	}
}
