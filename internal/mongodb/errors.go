package mongodb

import (
	"context"
	"errors"
	"fmt"
	"net"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/wellbase/wellbase"
)

// wrap returns err wrapped with the operation op, or nil: "mongodb: <op>: <err>". Every method
// passes the driver's errors through it. An error of a server that cannot be reached (see
// unreachable) becomes an EUnavailable error whose message tells users to retry, and which keeps
// the wrapped driver error for errors.Is, errors.As and the log (its Error text); any other error
// is returned wrapped as it is, context.Canceled included.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	err = fmt.Errorf("mongodb: %s: %w", op, err)
	if unreachable(err) {
		return wellbase.Unavailable("the database is unavailable; retry shortly", err)
	}
	return err
}

// unreachable reports whether err says that no server answered: a network error (connection
// refused, reset or closed, DNS), a timeout (the server selection timeout, a socket timeout, a
// context deadline), a server selection error, or a client, topology, server or connection pool
// that is closed (a call during shutdown). A cancelled context is not: the caller went away,
// the server may be fine. Nor is an error that already has a wellbase code.
func unreachable(err error) bool {
	var we *wellbase.Error
	var ne *net.OpError
	switch {
	case errors.Is(err, context.Canceled), errors.As(err, &we):
		return false
	case mongo.IsNetworkError(err), mongo.IsTimeout(err), errors.As(err, &ne),
		errors.As(err, new(topology.ServerSelectionError)):
		return true
	}
	for _, target := range []error{mongo.ErrClientDisconnected, topology.ErrTopologyClosed, topology.ErrServerClosed, topology.ErrPoolClosed} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
