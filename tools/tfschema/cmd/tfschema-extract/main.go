// Command tfschema-extract writes the Terraform schema of a provider, read from its cdktf
// prebuilt npm package, as `tofu providers schema -json` would print it:
//
//	tfschema-extract -package cdktf-provider-aws-21.22.1.tgz [-overrides overrides.json] -out aws.json
//
// It prints the provider's source address and version (from the package) on stdout, and any
// warnings on stderr. See package extract for what is read and what cannot be known.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/wellbase/wellbase/tools/tfschema/internal/extract"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tfschema-extract:", err)
		os.Exit(1)
	}
}

func run() error {
	pkg := flag.String("package", "", "the provider's cdktf npm package (.tgz from npm pack)")
	overrides := flag.String("overrides", "", "a JSON overrides file (see package extract); optional")
	out := flag.String("out", "", "the schema JSON to write")
	flag.Parse()
	if *pkg == "" || *out == "" || flag.NArg() != 0 {
		flag.Usage()
		return fmt.Errorf("-package and -out are required")
	}
	f, err := os.Open(*pkg)
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := extract.ReadPackage(f)
	if err != nil {
		return fmt.Errorf("%s: %w", *pkg, err)
	}
	s, warnings, err := p.Extract()
	if err != nil {
		return fmt.Errorf("%s: %w", *pkg, err)
	}
	for _, w := range warnings {
		fmt.Fprintln(os.Stderr, "tfschema-extract: warning:", w)
	}
	if *overrides != "" {
		o, err := extract.ReadOverrides(*overrides)
		if err != nil {
			return err
		}
		if err := o.Apply(p.Name, p.Version, s); err != nil {
			return fmt.Errorf("%s: %w", *overrides, err)
		}
	}
	doc := &tfjson.ProviderSchemas{FormatVersion: "1.0", Schemas: map[string]*tfjson.ProviderSchema{p.Name: s}}
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Printf("%s %s\n", p.Name, p.Version)
	return nil
}
