package forecasts

// ParamsSchema returns the JSON Schema of a decline-fit job's params (Params), as an OpenAPI 3.0
// schema object, with each field's unit and default: the API publishes it as DeclineFitParams.
// The schema and Params hold the same fields (a test compares them).
func ParamsSchema() map[string]any {
	type obj = map[string]any
	return obj{
		"type": "object", "required": []string{"well"}, "additionalProperties": false,
		"description": "an Arps decline fitted to a well's production of one phase, and its forecast to the abandonment rate or the horizon",
		"properties": obj{
			"well":  obj{"type": "string", "description": "ID of the well to forecast"},
			"phase": obj{"type": "string", "enum": []string{"oil", "gas", "water"}, "default": "oil"},
			"model": obj{"type": "string", "enum": []string{"exponential", "harmonic", "hyperbolic", "modified-hyperbolic", "auto"}, "default": "hyperbolic",
				"description": "auto fits each model and keeps the lowest AICc of the log-rate residuals; modified-hyperbolic needs terminal_decline_effective_per_year"},
			"start": obj{"type": "string", "default": "peak", "example": "2014-03-01",
				"description": `first point of the decline: "peak" (the highest rate) or a date YYYY-MM-DD`},
			"period": obj{"type": "string", "enum": []string{"month", "day"},
				"description": "the rates to fit: calendar-day rates of monthly volumes, or daily volumes; default month when the well has at least 6 months of it, else day"},
			"abandonment_rate": obj{"type": "number", "minimum": 0, "default": 0,
				"description": "economic limit, volume per day in the well's production unit (e.g. Sm3/d); the forecast ends when the rate falls to it; 0: none (the horizon ends it)"},
			"terminal_decline_effective_per_year": obj{"type": "number", "minimum": 0, "exclusiveMaximum": true, "maximum": 1,
				"description": "terminal decline of a modified hyperbolic, tangent effective, fraction per year (e.g. 0.08); with auto it adds that model; with hyperbolic it bounds the forecast"},
			"horizon_years": obj{"type": "number", "minimum": 0, "maximum": 100, "default": 30,
				"description": "forecast length after the last production date, years"},
		},
	}
}
