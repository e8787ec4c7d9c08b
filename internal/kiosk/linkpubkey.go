package kiosk

import (
	"fmt"
	"io"
	"strings"

	"github.com/carrierarcade/kiosk/internal/config"
	"github.com/carrierarcade/kiosk/link"
)

const linkUsage = `usage: kiosk link COMMAND [flags]

The carrier link's keys and state (see "Carriers together" in the README).

commands:
  keygen --out FILE   make this carrier's secret key in FILE (mode 0600) and print
                      its public key, for the hub's [hub] carriers
  pubkey [--key FILE] print the public key of an existing key file (default:
                      link.key_file), for the hub's [hub] carriers
  status [--json]     this carrier's link, asked of the kiosk running here

Run 'kiosk link COMMAND --help' for a command's own flags.
`

func cmdLinkPubkey(args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("link pubkey", "link pubkey [--key FILE] [--config FILE]", stderr)
	key := fs.String("key", "", "the carrier's key file (default: link.key_file)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	path, from := *key, "--key"
	if path == "" {
		l, err := c.load()
		if err != nil {
			return err
		}
		if l.Link.KeyFile == "" {
			return fmt.Errorf("%w: give the key file: --key FILE (link.key_file is empty)", errUsage)
		}
		path, from = l.Resolve(l.Link.KeyFile), "link.key_file"
	}
	pub, err := link.CheckKeyFile(path)
	if err != nil {
		return fmt.Errorf("%w: %s %s", config.ErrConfig, from, strings.TrimPrefix(err.Error(), "link.key_file "))
	}
	fmt.Fprintln(stdout, pub)
	return nil
}
