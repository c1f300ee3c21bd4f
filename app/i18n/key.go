package i18n

// Key is a message key passed as an argument of another message: T resolves it in the
// same language first (the name of a PIN inside a sentence about that PIN, say).
type Key string

// resolveKeys returns args with every Key replaced by its text.
func (l *Localizer) resolveKeys(args []any) []any {
	var out []any
	for i, a := range args {
		k, ok := a.(Key)
		if !ok {
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = l.T(string(k))
	}
	if out == nil {
		return args
	}
	return out
}
