package welllogs

// PetrophysicsParamsSchema returns the JSON Schema of a petrophysics job's params
// (PetrophysicsParams), as an OpenAPI 3.0 schema object, with each field's unit and default:
// the API publishes it as PetrophysicsParams. The schema and the struct hold the same fields (a
// test compares them).
func PetrophysicsParamsSchema() map[string]any {
	type obj = map[string]any
	curve := func(what string) obj {
		return obj{"type": "string", "description": "mnemonic of the " + what + " curve; default the first standard name the log has"}
	}
	return obj{
		"type": "object", "required": []string{"log"}, "additionalProperties": false,
		"description": "shale volume (VSH), density porosity (PHID) and Archie water saturation (SW), all v/v, computed from a log and stored as a new log of its well",
		"properties": obj{
			"log":  obj{"type": "string", "description": "ID of the source log"},
			"gr":   curve("gamma-ray"),
			"rhob": curve("bulk-density"),
			"rt":   curve("deep-resistivity"),
			"nphi": curve("neutron-porosity"),
			"gr_clean": obj{"type": "number",
				"description": "gamma ray of clean rock (IGR = 0), API units (gAPI); default the gr_clean_percentile of the GR samples"},
			"gr_shale": obj{"type": "number",
				"description": "gamma ray of shale (IGR = 1), API units (gAPI), above gr_clean; default the gr_shale_percentile of the GR samples"},
			"gr_clean_percentile": obj{"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": 100, "default": 5, "description": "percent"},
			"gr_shale_percentile": obj{"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": 100, "default": 95, "description": "percent, above gr_clean_percentile"},
			"vsh_method": obj{"type": "string", "enum": []string{"linear", "larionov-tertiary", "larionov-older", "clavier", "steiber"}, "default": "linear",
				"description": "shale volume from the gamma-ray index"},
			"matrix_density": obj{"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": 5, "default": 2.65,
				"description": "ρma, g/cc: 2.65 sandstone, 2.71 limestone, 2.87 dolomite"},
			"fluid_density": obj{"type": "number", "exclusiveMinimum": true, "minimum": 0, "default": 1.0,
				"description": "ρfl, g/cc, below matrix_density: 1.0 fresh water, 1.1 salt water"},
			"a":  obj{"type": "number", "exclusiveMinimum": true, "minimum": 0, "default": 1, "description": "Archie tortuosity factor (Humble 0.62)"},
			"m":  obj{"type": "number", "exclusiveMinimum": true, "minimum": 0, "default": 2, "description": "Archie cementation exponent (Humble 2.15)"},
			"n":  obj{"type": "number", "exclusiveMinimum": true, "minimum": 0, "default": 2, "description": "Archie saturation exponent"},
			"rw": obj{"type": "number", "minimum": 0, "description": "formation-water resistivity at formation temperature, ohm·m; SW is computed only with it"},
		},
	}
}
