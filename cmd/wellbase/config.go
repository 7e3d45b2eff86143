package main

import (
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
