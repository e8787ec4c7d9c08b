// Package deploy is where the kiosk meets Kubernetes: the image build
// (image/), the kustomize base and its hub component (base/, components/,
// overlays/) and the Talos machine-config patch (talos/). Its test renders
// the manifests as 'kubectl apply -k' would, decodes every object strictly
// into the Kubernetes API types and checks what breaks deployments in
// practice; see README "On Kubernetes (Talos)".
package deploy
