// Package extract turns a cdktf prebuilt provider package (the npm tarball of
// @cdktf/provider-<name>) into the provider's Terraform schema, in the format of
// `tofu providers schema -json` (github.com/hashicorp/terraform-json).
//
// # Sources inside the package
//
// A cdktf prebuilt provider is generated from `terraform providers schema -json` of one provider
// version (package.json "cdktf.provider": name and version). The schema is not shipped as such,
// but every part of it survives in two places, which this package reads together:
//
//   - package/.jsii, the jsii type system: per resource (and data source, and the provider) a
//     <Name>Config interface whose properties are the arguments one can set (camelCase name,
//     `optional`, type, and docs whose {@link ...#anchor} is the Terraform name; blocks have
//     the summary "<name> block."), one struct interface per nested block or nested attribute,
//     and classes whose read-only getters are the attributes (computed ones included).
//   - package/lib/<resource>/index.js, whose inline source map holds the generated TypeScript:
//     each attribute's getter is preceded by "// <tf_name> - computed: B, optional: B,
//     required: B" (the only place where optional+computed shows), and the HCL synthesis
//     functions give each argument's collection kind ("list", "set", "map", "struct" = single
//     nesting, "simple"); a set-typed computed getter reads through Fn.tolist.
//
// Where the two cannot tell (min/max items other than 0/1, sensitivity, descriptions) the
// schema is less strict than the real provider; see Extract and the overrides file.
package extract

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Package is the part of a cdktf prebuilt provider package that Extract reads.
type Package struct {
	// Name and Version of the Terraform provider the package was generated from,
	// e.g. "registry.terraform.io/hashicorp/aws" and "6.25.0" (package.json "cdktf.provider").
	Name, Version string
	// NPMName and NPMVersion identify the package itself, e.g. "@cdktf/provider-aws", "21.22.1".
	NPMName, NPMVersion string

	asm *assembly
	// sources maps a TypeScript file name as jsii records it ("src/s3-bucket/index.ts") to
	// its text, taken from the source map of the compiled lib/…/index.js.
	sources map[string]string
}

// ReadPackage reads an npm package tarball (.tgz, as written by `npm pack`). It needs
// package/package.json, package/.jsii and package/lib/*/index.js; errors name the missing
// or malformed member.
func ReadPackage(r io.Reader) (*Package, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read npm package: %w", err)
	}
	defer gz.Close()
	p := &Package{sources: map[string]string{}}
	tr := tar.NewReader(gz)
	var sawJSII, sawPackageJSON bool
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read npm package: %w", err)
		}
		name := path.Clean(h.Name)
		switch {
		case name == "package/package.json":
			if err := p.readPackageJSON(tr); err != nil {
				return nil, err
			}
			sawPackageJSON = true
		case name == "package/.jsii":
			asm := &assembly{}
			if err := json.NewDecoder(tr).Decode(asm); err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			p.asm = asm
			sawJSII = true
		case strings.HasPrefix(name, "package/lib/") && strings.HasSuffix(name, ".js"):
			file, text, err := tsFromSourceMap(tr)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			if file != "" {
				// The map's sources[0] is relative to the .js file: "../../src/<dir>/index.ts".
				dir := path.Dir(strings.TrimPrefix(name, "package/"))
				p.sources[path.Join(dir, file)] = text
			}
		}
	}
	if !sawPackageJSON || !sawJSII {
		return nil, fmt.Errorf("read npm package: package/package.json or package/.jsii missing: not a cdktf prebuilt provider")
	}
	return p, nil
}

func (p *Package) readPackageJSON(r io.Reader) error {
	var pj struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		CDKTF   struct {
			Provider struct {
				Name    string `json:"name"`
				Version string `json:"version"`
			} `json:"provider"`
		} `json:"cdktf"`
	}
	if err := json.NewDecoder(r).Decode(&pj); err != nil {
		return fmt.Errorf("read package/package.json: %w", err)
	}
	if pj.CDKTF.Provider.Name == "" || pj.CDKTF.Provider.Version == "" {
		return fmt.Errorf("package/package.json: no cdktf.provider name and version: not a cdktf prebuilt provider")
	}
	p.Name, p.Version = pj.CDKTF.Provider.Name, pj.CDKTF.Provider.Version
	p.NPMName, p.NPMVersion = pj.Name, pj.Version
	return nil
}

// tsFromSourceMap returns the first source file name and text of the inline source map at the
// end of a compiled JavaScript file ("//# sourceMappingURL=data:application/json;base64,…"),
// or "" when the file has none.
func tsFromSourceMap(r io.Reader) (string, string, error) {
	js, err := io.ReadAll(r)
	if err != nil {
		return "", "", err
	}
	const marker = "//# sourceMappingURL=data:application/json;base64,"
	i := bytes.LastIndex(js, []byte(marker))
	if i < 0 {
		return "", "", nil
	}
	enc := bytes.TrimSpace(js[i+len(marker):])
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(enc)))
	n, err := base64.StdEncoding.Decode(raw, enc)
	if err != nil {
		return "", "", fmt.Errorf("source map: %w", err)
	}
	var m struct {
		Sources        []string `json:"sources"`
		SourcesContent []string `json:"sourcesContent"`
	}
	if err := json.Unmarshal(raw[:n], &m); err != nil {
		return "", "", fmt.Errorf("source map: %w", err)
	}
	if len(m.Sources) == 0 || len(m.SourcesContent) == 0 {
		return "", "", nil
	}
	return m.Sources[0], m.SourcesContent[0], nil
}
