package deploy_test

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/carrierarcade/kiosk/health"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "write deploy/base/config.toml from config.toml and config.overrides")

// The kustomizations a user may apply; each is rendered and checked whole.
var targets = []string{"base", "overlays/with-hub"}

// object is one rendered manifest, decoded into its k8s.io/api type.
type object struct {
	kind, name, namespace string
	obj                   any
}

// kinds are the API types the manifests may hold. A kind not listed fails
// the test, so a new one is added here, with its checks, on purpose.
var kinds = map[string]struct {
	apiVersion string
	namespaced bool
	new        func() any
}{
	"Namespace":  {"v1", false, func() any { return new(corev1.Namespace) }},
	"ConfigMap":  {"v1", true, func() any { return new(corev1.ConfigMap) }},
	"Secret":     {"v1", true, func() any { return new(corev1.Secret) }},
	"Service":    {"v1", true, func() any { return new(corev1.Service) }},
	"DaemonSet":  {"apps/v1", true, func() any { return new(appsv1.DaemonSet) }},
	"Deployment": {"apps/v1", true, func() any { return new(appsv1.Deployment) }},
}

// render builds a kustomization the way 'kubectl apply -k' does (files
// only from inside it, no plugins) and decodes each object strictly: an
// unknown or misspelled field, or one given twice, is an error.
func render(dir string) ([]object, error) {
	kz := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	rm, err := kz.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize %s: %w", dir, err)
	}
	var objs []object
	var errs []error
	for _, r := range rm.Resources() {
		kind, name := r.GetKind(), r.GetName()
		k, ok := kinds[kind]
		if !ok {
			errs = append(errs, fmt.Errorf("%s %s: a kind this test does not know; add it to kinds with its checks", kind, name))
			continue
		}
		if r.GetApiVersion() != k.apiVersion {
			errs = append(errs, fmt.Errorf("%s %s: apiVersion %s, want %s", kind, name, r.GetApiVersion(), k.apiVersion))
		}
		y, err := r.AsYAML()
		if err != nil {
			return nil, err
		}
		obj := k.new()
		if err := yaml.UnmarshalStrict(y, obj); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", kind, name, err))
			continue
		}
		objs = append(objs, object{kind: kind, name: name, namespace: r.GetNamespace(), obj: obj})
	}
	return objs, errors.Join(errs...)
}

// pod is a workload's pod template with the workload's name.
type pod struct {
	owner    string
	selector *metav1.LabelSelector
	template corev1.PodTemplateSpec
}

func pods(objs []object) []pod {
	var ps []pod
	for _, o := range objs {
		switch w := o.obj.(type) {
		case *appsv1.DaemonSet:
			ps = append(ps, pod{"DaemonSet " + w.Name, w.Spec.Selector, w.Spec.Template})
		case *appsv1.Deployment:
			ps = append(ps, pod{"Deployment " + w.Name, w.Spec.Selector, w.Spec.Template})
		}
	}
	return ps
}

func allContainers(spec corev1.PodSpec) []corev1.Container {
	return append(slices.Clone(spec.InitContainers), spec.Containers...)
}

// probePaths are the HTTP paths the kubelet will ask the kiosk for.
func probePaths(objs []object) []string {
	var paths []string
	for _, p := range pods(objs) {
		for _, c := range allContainers(p.template.Spec) {
			for _, pr := range []*corev1.Probe{c.StartupProbe, c.LivenessProbe, c.ReadinessProbe} {
				if pr != nil && pr.HTTPGet != nil && !slices.Contains(paths, pr.HTTPGet.Path) {
					paths = append(paths, pr.HTTPGet.Path)
				}
			}
		}
	}
	slices.Sort(paths)
	return paths
}

// serves says whether the kiosk's HTTP server ([http], package health)
// answers path: the real handler is asked, as the kubelet would ask it
// (200 for a fresh kiosk's probes; anything but 404 means the route exists).
var serves = func(path string) bool {
	rec := httptest.NewRecorder()
	health.New(health.Options{}).Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code != http.StatusNotFound
}

// probeRoutes are the paths a probe may use: liveness and readiness, never
// /metrics (a scrape is not a health check).
var probeRoutes = []string{"/healthz", "/readyz"}

// The real handler is what serves asks: the probes' routes are there, a
// path the kiosk does not serve is not.
func TestServesAsksTheRealHandler(t *testing.T) {
	for _, p := range append(slices.Clone(probeRoutes), health.MetricsPath) {
		if !serves(p) {
			t.Errorf("the kiosk's handler does not serve %s", p)
		}
	}
	if serves("/live") {
		t.Error("serves says yes to /live, which the kiosk does not serve")
	}
}

func TestManifests(t *testing.T) {
	for _, dir := range targets {
		t.Run(dir, func(t *testing.T) {
			objs, err := render(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) == 0 {
				t.Fatal("rendered nothing")
			}
			if err := check(objs); err != nil {
				t.Error(err)
			}
			for _, p := range probePaths(objs) {
				if !serves(p) {
					t.Errorf("a probe asks for %s, which the kiosk's HTTP server does not serve", p)
				}
			}
		})
	}
}

// check runs every check on one rendering and reports every problem.
func check(objs []object) error {
	var errs []error
	for _, f := range []func([]object) []error{
		checkNames, checkNamespaces, checkSelectors, checkServices, checkVolumes,
		checkConfigRefs, checkImages, checkProbes, checkHTTPPort, checkRollout, checkSecretMounts,
	} {
		errs = append(errs, f(objs)...)
	}
	return errors.Join(errs...)
}

// checkNames: names the API server accepts (DNS-1123; a Service's DNS-1035).
func checkNames(objs []object) []error {
	var errs []error
	bad := func(what, name string, msgs []string) {
		if len(msgs) > 0 {
			errs = append(errs, fmt.Errorf("%s name %q: %s", what, name, strings.Join(msgs, "; ")))
		}
	}
	for _, o := range objs {
		switch o.kind {
		case "Namespace":
			bad(o.kind, o.name, validation.IsDNS1123Label(o.name))
		case "Service":
			bad(o.kind, o.name, validation.IsDNS1035Label(o.name))
		default:
			bad(o.kind, o.name, validation.IsDNS1123Subdomain(o.name))
		}
		if o.namespace != "" {
			bad(o.kind+" "+o.name+" namespace", o.namespace, validation.IsDNS1123Label(o.namespace))
		}
		meta := metaOf(o)
		for k, v := range meta.Labels {
			bad(o.kind+" "+o.name+" label key", k, validation.IsQualifiedName(k))
			bad(o.kind+" "+o.name+" label value", v, validation.IsValidLabelValue(v))
		}
	}
	for _, p := range pods(objs) {
		spec := p.template.Spec
		for _, c := range allContainers(spec) {
			bad(p.owner+" container", c.Name, validation.IsDNS1123Label(c.Name))
			for _, port := range c.Ports {
				if port.Name != "" {
					bad(p.owner+" container "+c.Name+" port", port.Name, validation.IsValidPortName(port.Name))
				}
			}
		}
		for _, v := range spec.Volumes {
			bad(p.owner+" volume", v.Name, validation.IsDNS1123Label(v.Name))
		}
	}
	return errs
}

func metaOf(o object) metav1.ObjectMeta {
	switch v := o.obj.(type) {
	case *corev1.Namespace:
		return v.ObjectMeta
	case *corev1.ConfigMap:
		return v.ObjectMeta
	case *corev1.Secret:
		return v.ObjectMeta
	case *corev1.Service:
		return v.ObjectMeta
	case *appsv1.DaemonSet:
		return v.ObjectMeta
	case *appsv1.Deployment:
		return v.ObjectMeta
	}
	return metav1.ObjectMeta{}
}

// checkNamespaces: every namespaced object lives in a namespace the
// rendering makes, and that namespace says which pod security level it
// enforces.
func checkNamespaces(objs []object) []error {
	var errs []error
	made := map[string]bool{}
	for _, o := range objs {
		if ns, ok := o.obj.(*corev1.Namespace); ok {
			made[ns.Name] = true
			level := ns.Labels["pod-security.kubernetes.io/enforce"]
			if !slices.Contains([]string{"privileged", "baseline", "restricted"}, level) {
				errs = append(errs, fmt.Errorf("Namespace %s: label pod-security.kubernetes.io/enforce is %q, want privileged, baseline or restricted", ns.Name, level))
			}
		}
	}
	for _, o := range objs {
		if kinds[o.kind].namespaced && !made[o.namespace] {
			errs = append(errs, fmt.Errorf("%s %s: namespace %q is not one the manifests make", o.kind, o.name, o.namespace))
		}
	}
	return errs
}

// checkSelectors: each workload's selector is set and matches its own pod
// labels (the API server refuses one that does not).
func checkSelectors(objs []object) []error {
	var errs []error
	for _, p := range pods(objs) {
		if p.selector == nil || (len(p.selector.MatchLabels) == 0 && len(p.selector.MatchExpressions) == 0) {
			errs = append(errs, fmt.Errorf("%s: empty selector", p.owner))
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(p.selector)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: selector: %w", p.owner, err))
			continue
		}
		if !sel.Matches(labels.Set(p.template.Labels)) {
			errs = append(errs, fmt.Errorf("%s: selector %s does not match its pod labels %v", p.owner, sel, p.template.Labels))
		}
	}
	return errs
}

// checkServices: a Service selects the pods of exactly one workload, and
// each target port is a port those pods declare.
func checkServices(objs []object) []error {
	var errs []error
	for _, o := range objs {
		svc, ok := o.obj.(*corev1.Service)
		if !ok {
			continue
		}
		if len(svc.Spec.Selector) == 0 {
			errs = append(errs, fmt.Errorf("Service %s: no selector", svc.Name))
			continue
		}
		var hits []pod
		for _, p := range pods(objs) {
			if labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(p.template.Labels)) {
				hits = append(hits, p)
			}
		}
		if len(hits) != 1 {
			errs = append(errs, fmt.Errorf("Service %s: selector %v matches the pods of %d workloads, want 1", svc.Name, svc.Spec.Selector, len(hits)))
			continue
		}
		for _, sp := range svc.Spec.Ports {
			if !hasPort(hits[0].template.Spec.Containers, sp.TargetPort.String()) {
				errs = append(errs, fmt.Errorf("Service %s port %s: target %s is no container port of %s", svc.Name, sp.Name, sp.TargetPort.String(), hits[0].owner))
			}
		}
	}
	return errs
}

func hasPort(cs []corev1.Container, port string) bool {
	for _, c := range cs {
		for _, p := range c.Ports {
			if p.Name == port || strconv.Itoa(int(p.ContainerPort)) == port {
				return true
			}
		}
	}
	return false
}

// checkVolumes: every mount names a declared volume, every volume is
// mounted somewhere, and no two mounts in a container share a path.
func checkVolumes(objs []object) []error {
	var errs []error
	for _, p := range pods(objs) {
		declared := map[string]bool{}
		used := map[string]bool{}
		for _, v := range p.template.Spec.Volumes {
			if declared[v.Name] {
				errs = append(errs, fmt.Errorf("%s: volume %s declared twice", p.owner, v.Name))
			}
			declared[v.Name] = true
		}
		for _, c := range allContainers(p.template.Spec) {
			paths := map[string]bool{}
			for _, m := range c.VolumeMounts {
				used[m.Name] = true
				if !declared[m.Name] {
					errs = append(errs, fmt.Errorf("%s container %s: mounts volume %s, which the pod does not declare", p.owner, c.Name, m.Name))
				}
				if paths[m.MountPath] {
					errs = append(errs, fmt.Errorf("%s container %s: two mounts at %s", p.owner, c.Name, m.MountPath))
				}
				paths[m.MountPath] = true
			}
		}
		for _, v := range p.template.Spec.Volumes {
			if !used[v.Name] {
				errs = append(errs, fmt.Errorf("%s: volume %s is declared but no container mounts it", p.owner, v.Name))
			}
		}
	}
	return errs
}

// checkConfigRefs: a ConfigMap a pod uses is one the manifests make (with
// kustomize's hash suffix resolved), and a subPath mount of it names one of
// its keys; a Secret the manifests do not make (made by hand: the link key)
// is optional, so the pod starts without it.
func checkConfigRefs(objs []object) []error {
	var errs []error
	cms := map[string]*corev1.ConfigMap{}
	secrets := map[string]bool{}
	for _, o := range objs {
		switch v := o.obj.(type) {
		case *corev1.ConfigMap:
			cms[v.Name] = v
		case *corev1.Secret:
			secrets[v.Name] = true
		}
	}
	for _, p := range pods(objs) {
		vols := map[string]corev1.Volume{}
		for _, v := range p.template.Spec.Volumes {
			vols[v.Name] = v
			switch {
			case v.ConfigMap != nil && cms[v.ConfigMap.Name] == nil:
				errs = append(errs, fmt.Errorf("%s volume %s: ConfigMap %s is not in the manifests", p.owner, v.Name, v.ConfigMap.Name))
			case v.Secret != nil && !secrets[v.Secret.SecretName] && (v.Secret.Optional == nil || !*v.Secret.Optional):
				errs = append(errs, fmt.Errorf("%s volume %s: Secret %s is made by hand but not optional: the pod would not start without it", p.owner, v.Name, v.Secret.SecretName))
			}
		}
		for _, c := range allContainers(p.template.Spec) {
			for _, m := range c.VolumeMounts {
				v, ok := vols[m.Name]
				if !ok || v.ConfigMap == nil || m.SubPath == "" || cms[v.ConfigMap.Name] == nil {
					continue
				}
				if _, ok := cms[v.ConfigMap.Name].Data[m.SubPath]; !ok {
					errs = append(errs, fmt.Errorf("%s container %s: subPath %s is no key of ConfigMap %s", p.owner, c.Name, m.SubPath, v.ConfigMap.Name))
				}
			}
		}
	}
	return errs
}

var tagRE = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)

// checkImages: every image is pinned by tag (not latest) or digest, and
// was renamed by the kustomization's images list (a bare name would be
// pulled from Docker Hub).
func checkImages(objs []object) []error {
	var errs []error
	byRepo := map[string]string{} // one version of each image in one rendering
	for _, p := range pods(objs) {
		for _, c := range allContainers(p.template.Spec) {
			img := c.Image
			name, digest, hasDigest := strings.Cut(img, "@")
			slash := strings.LastIndex(name, "/")
			repo, tag, hasTag := name, "", false
			if i := strings.LastIndex(name, ":"); i > slash {
				repo, tag, hasTag = name[:i], name[i+1:], true
			}
			switch {
			case hasDigest && !strings.HasPrefix(digest, "sha256:"):
				errs = append(errs, fmt.Errorf("%s container %s: image %s: digest is not sha256", p.owner, c.Name, img))
			case !hasDigest && !hasTag:
				errs = append(errs, fmt.Errorf("%s container %s: image %s has no tag", p.owner, c.Name, img))
			case hasTag && (tag == "latest" || !tagRE.MatchString(tag)):
				errs = append(errs, fmt.Errorf("%s container %s: image %s: tag %q is not a pinned version", p.owner, c.Name, img, tag))
			}
			if first, _, _ := strings.Cut(repo, "/"); !strings.ContainsAny(first, ".:") && first != "localhost" {
				errs = append(errs, fmt.Errorf("%s container %s: image %s names no registry (it would come from Docker Hub); set it in the kustomization's images", p.owner, c.Name, img))
			}
			if other, ok := byRepo[repo]; ok && other != img {
				errs = append(errs, fmt.Errorf("%s container %s: image %s, but another container runs %s", p.owner, c.Name, img, other))
			}
			byRepo[repo] = img
			if c.ImagePullPolicy == corev1.PullAlways {
				errs = append(errs, fmt.Errorf("%s container %s: imagePullPolicy Always: a carrier at a booth may have no registry", p.owner, c.Name))
			}
		}
	}
	return errs
}

// checkProbes: HTTP probes ask one of the health routes on a port the
// container declares; the kiosk has liveness and readiness probes.
func checkProbes(objs []object) []error {
	var errs []error
	for _, p := range pods(objs) {
		for _, c := range allContainers(p.template.Spec) {
			for _, pr := range []*corev1.Probe{c.StartupProbe, c.LivenessProbe, c.ReadinessProbe} {
				if pr == nil || pr.HTTPGet == nil {
					continue
				}
				if !slices.Contains(probeRoutes, pr.HTTPGet.Path) {
					errs = append(errs, fmt.Errorf("%s container %s: probe path %s is not one of %v", p.owner, c.Name, pr.HTTPGet.Path, probeRoutes))
				}
				if !hasPort([]corev1.Container{c}, pr.HTTPGet.Port.String()) {
					errs = append(errs, fmt.Errorf("%s container %s: probe port %s is no port of the container", p.owner, c.Name, pr.HTTPGet.Port.String()))
				}
			}
			if c.Name == "kiosk" {
				if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" {
					errs = append(errs, fmt.Errorf("%s container kiosk: liveness must be HTTP /healthz", p.owner))
				}
				if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
					errs = append(errs, fmt.Errorf("%s container kiosk: readiness must be HTTP /readyz", p.owner))
				}
			}
		}
	}
	return errs
}

// checkHTTPPort: the kiosk container's "http" port is the port of
// [http].listen in the config.toml its ConfigMap carries (with the
// container's --set overrides), and that address is reachable from the
// kubelet (not loopback).
func checkHTTPPort(objs []object) []error {
	var errs []error
	cms := map[string]*corev1.ConfigMap{}
	for _, o := range objs {
		if cm, ok := o.obj.(*corev1.ConfigMap); ok {
			cms[cm.Name] = cm
		}
	}
	for _, p := range pods(objs) {
		for _, c := range p.template.Spec.Containers {
			if c.Name != "kiosk" {
				continue
			}
			var cfg string
			for _, m := range c.VolumeMounts {
				for _, v := range p.template.Spec.Volumes {
					if v.Name == m.Name && v.ConfigMap != nil && cms[v.ConfigMap.Name] != nil && m.SubPath == "config.toml" {
						cfg = cms[v.ConfigMap.Name].Data["config.toml"]
					}
				}
			}
			if cfg == "" {
				errs = append(errs, fmt.Errorf("%s container kiosk: no config.toml mounted from a ConfigMap", p.owner))
				continue
			}
			listen, err := httpListen(cfg, c.Args)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s container kiosk: %w", p.owner, err))
				continue
			}
			host, port, err := net.SplitHostPort(listen)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s container kiosk: http.listen %q: %w", p.owner, listen, err))
				continue
			}
			if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
				errs = append(errs, fmt.Errorf("%s container kiosk: http.listen %q is loopback: the kubelet's probes come to the pod's address", p.owner, listen))
			}
			var declared []string
			for _, cp := range c.Ports {
				if cp.Name == "http" {
					declared = append(declared, strconv.Itoa(int(cp.ContainerPort)))
				}
			}
			if !slices.Equal(declared, []string{port}) {
				errs = append(errs, fmt.Errorf("%s container kiosk: port \"http\" is %v, but config.toml listens on %s", p.owner, declared, listen))
			}
		}
	}
	return errs
}

// httpListen is [http].listen of a config.toml, after any --set
// http.listen=... in args. Default as the kiosk's: 127.0.0.1:9090.
func httpListen(cfg string, args []string) (string, error) {
	var c struct {
		HTTP struct {
			Listen *string `toml:"listen"`
		} `toml:"http"`
	}
	if _, err := toml.Decode(cfg, &c); err != nil {
		return "", fmt.Errorf("config.toml: %w", err)
	}
	listen := "127.0.0.1:9090"
	if c.HTTP.Listen != nil {
		listen = *c.HTTP.Listen
	}
	for i, a := range args {
		set, ok := strings.CutPrefix(a, "--set=")
		if !ok && a == "--set" && i+1 < len(args) {
			set, ok = args[i+1], true
		}
		if k, v, _ := strings.Cut(set, "="); ok && strings.TrimSpace(k) == "http.listen" {
			var s struct{ V string }
			if _, err := toml.Decode("V = "+v, &s); err != nil {
				return "", fmt.Errorf("--set %s: %w", set, err)
			}
			listen = s.V
		}
	}
	return listen, nil
}

// checkRollout: a DaemonSet's update stops the old pod before the new one
// starts (no surge), so the camera and display are never opened twice; a
// Deployment of one replica is recreated, not doubled.
func checkRollout(objs []object) []error {
	var errs []error
	for _, o := range objs {
		switch w := o.obj.(type) {
		case *appsv1.DaemonSet:
			s := w.Spec.UpdateStrategy
			ru := s.RollingUpdate
			switch {
			case s.Type == appsv1.OnDeleteDaemonSetStrategyType:
			case s.Type != appsv1.RollingUpdateDaemonSetStrategyType || ru == nil:
				errs = append(errs, fmt.Errorf("DaemonSet %s: updateStrategy must be RollingUpdate with maxSurge 0 and maxUnavailable 1", w.Name))
			case ru.MaxSurge != nil && ru.MaxSurge.String() != "0" && ru.MaxSurge.String() != "0%":
				errs = append(errs, fmt.Errorf("DaemonSet %s: maxSurge %s starts a new pod while the old one still holds the camera and display", w.Name, ru.MaxSurge))
			case ru.MaxUnavailable == nil || ru.MaxUnavailable.String() == "0" || ru.MaxUnavailable.String() == "0%":
				errs = append(errs, fmt.Errorf("DaemonSet %s: maxUnavailable must be at least 1 so the old pod stops first", w.Name))
			}
		case *appsv1.Deployment:
			s := w.Spec.Strategy
			if s.Type != appsv1.RecreateDeploymentStrategyType &&
				(s.RollingUpdate == nil || s.RollingUpdate.MaxSurge == nil || s.RollingUpdate.MaxSurge.String() != "0") {
				errs = append(errs, fmt.Errorf("Deployment %s: strategy must be Recreate or RollingUpdate with maxSurge 0", w.Name))
			}
		}
	}
	return errs
}

// checkSecretMounts: a Secret's files are owner-only (0400 or 0600; the
// link refuses a key others may read) and every mount of it is read-only.
func checkSecretMounts(objs []object) []error {
	var errs []error
	ok := func(m *int32) bool { return m != nil && (*m == 0o400 || *m == 0o600) }
	for _, p := range pods(objs) {
		secretVols := map[string]bool{}
		for _, v := range p.template.Spec.Volumes {
			if v.Secret == nil {
				continue
			}
			secretVols[v.Name] = true
			if !ok(v.Secret.DefaultMode) {
				errs = append(errs, fmt.Errorf("%s volume %s: Secret defaultMode must be 0400 or 0600", p.owner, v.Name))
			}
			for _, it := range v.Secret.Items {
				if it.Mode != nil && !ok(it.Mode) {
					errs = append(errs, fmt.Errorf("%s volume %s: Secret item %s mode must be 0400 or 0600", p.owner, v.Name, it.Key))
				}
			}
		}
		if len(secretVols) > 0 && p.template.Spec.SecurityContext != nil && p.template.Spec.SecurityContext.FSGroup != nil {
			errs = append(errs, fmt.Errorf("%s: fsGroup makes Secret files group-readable, which the link refuses", p.owner))
		}
		for _, c := range allContainers(p.template.Spec) {
			for _, m := range c.VolumeMounts {
				if secretVols[m.Name] && !m.ReadOnly {
					errs = append(errs, fmt.Errorf("%s container %s: Secret volume %s must be mounted readOnly", p.owner, c.Name, m.Name))
				}
			}
		}
	}
	return errs
}

// TestChecksCatch: each check fails on the mistake it is for, made in a
// copy of the manifests.
func TestChecksCatch(t *testing.T) {
	cases := []struct {
		name, file, old, new, want string
	}{
		{"misspelled field", "base/daemonset.yaml", "readinessProbe:", "readinesProbe:", `unknown field "readinesProbe"`},
		{"field at the wrong level", "base/daemonset.yaml", "      terminationGracePeriodSeconds: 20", "      terminationGracePeriodSeconds: 20\n      replicas: 1", `unknown field "replicas"`},
		{"surge", "base/daemonset.yaml", "maxSurge: 0", "maxSurge: 1", "maxSurge 1 starts a new pod"},
		{"probe path", "base/daemonset.yaml", "path: /readyz", "path: /ready", "probe path /ready is not one of"},
		{"port", "base/daemonset.yaml", "containerPort: 9090", "containerPort: 9091", `port "http" is [9091], but config.toml listens on 0.0.0.0:9090`},
		{"loopback", "base/config.toml", `listen = "0.0.0.0:9090"`, `listen = "127.0.0.1:9090"`, "is loopback"},
		{"undeclared volume", "base/daemonset.yaml", "            - name: snd\n              mountPath: /dev/snd", "            - name: sound\n              mountPath: /dev/snd", "mounts volume sound, which the pod does not declare"},
		{"secret mode", "base/daemonset.yaml", "defaultMode: 256", "defaultMode: 420", "defaultMode must be 0400 or 0600"},
		{"secret writable", "base/daemonset.yaml", "              mountPath: /etc/carrier-arcade/link-secret\n              readOnly: true", "              mountPath: /etc/carrier-arcade/link-secret", "must be mounted readOnly"},
		{"latest", "base/kustomization.yaml", `newTag: "0.1.0"`, `newTag: latest`, `tag "latest" is not a pinned version`},
		{"selector", "base/daemonset.yaml", "      app.kubernetes.io/component: kiosk\n  # The old pod", "      app.kubernetes.io/component: screen\n  # The old pod", "does not match its pod labels"},
		{"name", "base/daemonset.yaml", "name: carrier-arcade\n  labels:", "name: Carrier_Arcade\n  labels:", `DaemonSet name "Carrier_Arcade"`},
		{"two versions", "components/hub/kustomization.yaml", `newTag: "0.1.0"`, `newTag: "0.2.0"`, "but another container runs"},
		{"service port", "components/hub/hub.yaml", "targetPort: leafnodes", "targetPort: leafnode", "target leafnode is no container port"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyManifests(t)
			path := filepath.Join(dir, c.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), c.old) {
				t.Fatalf("%s no longer holds %q; update this case", c.file, c.old)
			}
			if err := os.WriteFile(path, []byte(strings.Replace(string(data), c.old, c.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			target := "base"
			if strings.HasPrefix(c.file, "components/") {
				target = "overlays/with-hub"
			}
			objs, err := render(filepath.Join(dir, target))
			if err == nil {
				err = check(objs)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error with %q, got: %v", c.want, err)
			}
		})
	}
}

// copyManifests copies the kustomizations to a temporary folder.
func copyManifests(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, top := range []string{"base", "components", "overlays"} {
		err := filepath.WalkDir(top, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dir, path), 0o755)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, path), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestConfigMapConfig: the config the pod runs with is the repository's
// config.toml with deploy/base/config.overrides applied, nothing else.
func TestConfigMapConfig(t *testing.T) {
	repo, err := os.ReadFile("../config.toml")
	if err != nil {
		t.Fatal(err)
	}
	overrides, err := os.ReadFile("base/config.overrides")
	if err != nil {
		t.Fatal(err)
	}
	want, err := applyOverrides(repo, overrides)
	if err != nil {
		t.Fatal(err)
	}
	var anything map[string]any
	if _, err := toml.Decode(string(want), &anything); err != nil {
		t.Fatalf("config.toml with the overrides is not TOML: %v", err)
	}
	if *update {
		if err := os.WriteFile("base/config.toml", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile("base/config.toml")
	if err != nil {
		t.Fatal(err)
	}
	if string(have) != string(want) {
		t.Errorf("deploy/base/config.toml is stale (config.toml or config.overrides changed); run: cd deploy && go test . -run ConfigMapConfig -update")
	}
}

// applyOverrides sets each 'section.key = value' of overrides in a TOML
// file's text, keeping its comments: the key's line is replaced in its
// section, added under the section's header, or a new section is added at
// the end.
func applyOverrides(src, overrides []byte) ([]byte, error) {
	lines := strings.Split(strings.TrimRight(string(src), "\n"), "\n")
	for n, o := range strings.Split(string(overrides), "\n") {
		o = strings.TrimSpace(o)
		if o == "" || strings.HasPrefix(o, "#") {
			continue
		}
		path, value, found := strings.Cut(o, "=")
		path, value = strings.TrimSpace(path), strings.TrimSpace(value)
		dot := strings.LastIndex(path, ".")
		if !found || dot <= 0 {
			return nil, fmt.Errorf("config.overrides line %d: want 'section.key = value', got %q", n+1, o)
		}
		var probe map[string]any
		if _, err := toml.Decode("v = "+value, &probe); err != nil {
			return nil, fmt.Errorf("config.overrides line %d: %s is not a TOML value: %v", n+1, value, err)
		}
		section, key := path[:dot], path[dot+1:]
		set := key + " = " + value
		header := -1
		for i, l := range lines {
			if strings.TrimSpace(l) == "["+section+"]" {
				header = i
			}
			if strings.TrimSpace(l) == "[["+section+"]]" {
				return nil, fmt.Errorf("config.overrides line %d: %s is an array of tables; set it in config.toml", n+1, section)
			}
		}
		if header < 0 {
			lines = append(lines, "", "["+section+"]", set)
			continue
		}
		keyRE := regexp.MustCompile(`^\s*` + regexp.QuoteMeta(key) + `\s*=`)
		done := false
		for i := header + 1; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "["); i++ {
			if keyRE.MatchString(lines[i]) {
				if strings.Count(lines[i], "[") > strings.Count(lines[i], "]") {
					return nil, fmt.Errorf("config.overrides line %d: %s spans lines in config.toml; set it there", n+1, path)
				}
				lines[i], done = set, true
				break
			}
		}
		if !done {
			lines = slices.Insert(lines, header+1, set)
		}
	}
	head := "# Generated by 'cd deploy && go test . -run ConfigMapConfig -update' from the\n" +
		"# repository's config.toml and deploy/base/config.overrides: edit those.\n"
	return []byte(head + strings.Join(lines, "\n") + "\n"), nil
}

// TestImageBuildsAgree: the Containerfile starts its image as 'make image'
// does (each line of image/image-config) and is made of the same parts.
func TestImageBuildsAgree(t *testing.T) {
	cf, err := os.ReadFile("image/Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile("image/image-config")
	if err != nil {
		t.Fatal(err)
	}
	cfLines := strings.Split(string(cf), "\n")
	for _, l := range strings.Split(string(cfg), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if !slices.Contains(cfLines, l) {
			t.Errorf("Containerfile lacks %q from image/image-config", l)
		}
	}
	// Each part by what the Containerfile says and where it is from the
	// repository's top; runtimepkgs is built in deploy's own module.
	for _, part := range []struct{ said, path string }{{"deploy/image/build-bins.sh", "deploy/image/build-bins.sh"},
		{"deploy/image/runtime-packages.txt", "deploy/image/runtime-packages.txt"}, {"deploy/image/dpkg-excludes", "deploy/image/dpkg-excludes"},
		{"deploy/image/assemble.sh", "deploy/image/assemble.sh"}, {"./image/runtimepkgs", "deploy/image/runtimepkgs"}} {
		if !strings.Contains(string(cf), part.said) {
			t.Errorf("Containerfile does not use %s, which make image uses", part.said)
		}
		if _, err := os.Stat(filepath.Join("..", part.path)); err != nil {
			t.Error(err)
		}
	}
}
