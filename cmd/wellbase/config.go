package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/wellbase/wellbase/internal/app"
)

// Config and App live in internal/app, shared with the Lambda function (cmd/wellbase-lambda),
// which must open the stores exactly as serve and worker do.
type (
	Config = app.Config
	App    = app.App
)

// env returns the environment variable name, or def if it is unset or empty.
func env(name, def string) string { return app.Env(name, def) }

// durationFlag is a flag holding a Go duration ("20s", "1m30s") whose default comes from an
// environment variable, else a constant; a malformed variable is reported by get, unless the
// flag replaced it.
type durationFlag struct {
	d      time.Duration
	name   string // "--shutdown-grace (WELLBASE_SHUTDOWN_GRACE)", for messages
	envErr error
}

func (f *durationFlag) String() string {
	if f == nil {
		return ""
	}
	return f.d.String()
}

func (f *durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration: write e.g. 20s or 1m30s", s)
	}
	f.d, f.envErr = d, nil
	return nil
}

// get returns the duration; an error names the flag and its variable if the value is malformed,
// negative or over most.
func (f *durationFlag) get(most time.Duration) (time.Duration, error) {
	switch {
	case f.envErr != nil:
		return 0, fmt.Errorf("%s: %w", f.name, f.envErr)
	case f.d < 0 || f.d > most:
		return 0, fmt.Errorf("%s must be from 0s to %s, got %s", f.name, most, f.d)
	}
	return f.d, nil
}

// bindDuration registers the duration flag name on fs, with environment variable envName, else
// def, as its default. usage should name its value `duration` (in backquotes, for -h).
func bindDuration(fs *flag.FlagSet, name, envName string, def time.Duration, usage string) *durationFlag {
	f := &durationFlag{d: def, name: "--" + name + " (" + envName + ")"}
	if s := env(envName, ""); s != "" {
		if err := f.Set(s); err != nil {
			f.envErr = fmt.Errorf("environment variable %s: %w", envName, err)
		}
	}
	fs.Var(f, name, usage+" (env "+envName+")")
	return f
}

// bindShutdownGrace registers --shutdown-grace: of serve (requests and jobs) or of worker (jobs).
func bindShutdownGrace(fs *flag.FlagSet, requests bool) *durationFlag {
	usage := "after SIGTERM, the `duration` the running jobs get to finish (20s, 1m30s); then they go back to the queue"
	if requests {
		usage = "after SIGTERM, the `duration` in-flight requests and running jobs get to finish (20s, 1m30s); then requests are cancelled (an upload leaves nothing) and jobs go back to the queue"
	}
	return bindDuration(fs, "shutdown-grace", "WELLBASE_SHUTDOWN_GRACE", DefaultShutdownGrace, usage)
}
