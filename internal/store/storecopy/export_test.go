package storecopy

// KindsForTest returns the converted columns with the PostgreSQL type
// that each kind stands for.
func KindsForTest() map[string]string {
	names := map[kind]string{kTime: "timestamp with time zone", kDate: "date", kBool: "boolean", kJSON: "jsonb"}
	out := map[string]string{}
	for c, k := range kinds {
		out[c] = names[k]
	}
	return out
}
