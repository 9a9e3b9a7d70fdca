package pdf

// Untagged makes r draw without the structure tree, for the benchmark
// that measures what tagging costs.
func Untagged(r *Renderer) { r.untagged = true }
