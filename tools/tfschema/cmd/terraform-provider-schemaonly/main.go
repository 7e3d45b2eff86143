// Command terraform-provider-schemaonly is a Terraform provider plugin (protocol 6) that serves
// the schema in schema.json beside its executable and refuses to plan or apply (see package
// provider). scripts/deploytools installs it, with a schema made by tfschema-extract, in a
// filesystem mirror under the real provider's address, e.g.
// registry.opentofu.org/hashicorp/aws/6.25.0/linux_amd64/terraform-provider-aws_v6.25.0.
//
// OpenTofu starts it; run by hand it prints what it serves and exits.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/wellbase/wellbase/tools/tfschema/internal/provider"
)

// SchemaFile is the schema document's name, in the executable's folder.
const SchemaFile = "schema.json"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "terraform-provider-schemaonly:", err)
		os.Exit(1)
	}
}

func run() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return err
	}
	s, err := provider.Load(filepath.Join(filepath.Dir(exe), SchemaFile))
	if err != nil {
		return err
	}
	// go-plugin's handshake: OpenTofu sets this cookie when it starts a provider.
	if os.Getenv("TF_PLUGIN_MAGIC_COOKIE") == "" {
		fmt.Printf("schema-only provider for %s (%s): run by OpenTofu, not by hand\n", s.Address, filepath.Join(filepath.Dir(exe), SchemaFile))
		return nil
	}
	return tf6server.Serve(s.Address, func() tfprotov6.ProviderServer { return s })
}
