package link

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// selfSigned writes a certificate for 127.0.0.1 and its key into dir.
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hub"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	require.NoError(t, err)
	kder, err := x509.MarshalECPrivateKey(k)
	require.NoError(t, err)
	cert, key = filepath.Join(dir, "hub.crt"), filepath.Join(dir, "hub.key")
	require.NoError(t, os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	require.NoError(t, os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600))
	return cert, key
}

// Over TLS, a carrier that trusts the hub's certificate links; one that
// does not stays alone and says why.
func TestLinkOverTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	k1, p1 := newKey(t, dir, "a")
	k2, p2 := newKey(t, dir, "b")
	port := freePort(t)
	h, err := StartHub(HubConfig{Listen: "127.0.0.1:" + strconv.Itoa(port), Carriers: CarrierKeys(p1, p2),
		TLSCert: cert, TLSKey: key}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer h.Close()
	assert.Equal(t, "tls://127.0.0.1:"+strconv.Itoa(port), h.LeafURL())

	a, err := Start(Config{Enabled: true, Name: "A", Hub: h.LeafURL(), KeyFile: k1, CAFile: cert}, filepath.Join(dir, "a"), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer a.Close()
	require.Eventually(t, func() bool { return a.Status().Up }, 30*time.Second, 20*time.Millisecond)

	var log syncLog
	b, err := Start(Config{Enabled: true, Name: "B", Hub: h.LeafURL(), KeyFile: k2}, filepath.Join(dir, "b"), slog.New(slog.NewTextHandler(&log, nil)))
	require.NoError(t, err)
	defer b.Close()
	require.Eventually(t, func() bool { return strings.Contains(log.String(), "certificate") }, 30*time.Second, 20*time.Millisecond,
		"the log says the hub's certificate is not trusted")
	assert.False(t, b.Status().Up)

	_, err = Start(Config{Enabled: true, Hub: h.LeafURL(), KeyFile: k2, CAFile: filepath.Join(dir, "missing.pem")}, filepath.Join(dir, "c"), nil)
	assert.ErrorContains(t, err, "link.ca_file")
}
