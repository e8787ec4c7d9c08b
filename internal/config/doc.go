// Package config is config.toml: read strictly over every section's
// defaults (each package owns its section's type and validation), with
// every problem told at once in the booth's words (the key, the value
// given, what is allowed, the file's line or "from --set", the fix); the
// --set overrides; the files a configuration names looked at before they
// are opened; and keys written back into the file in place (kiosk setup).
package config
