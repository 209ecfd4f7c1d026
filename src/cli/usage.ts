/** Help texts of `podpath` and its subcommands (what `--help` prints; docs/cli.md says the same at length). */

export const MAIN_USAGE = `Usage: podpath <command> [options]

A Kubernetes cluster network simulator: load a cluster from manifests, trace a packet through
the devices and routes its CNI plugin builds, and run kubectl, ip and ping against it.

Commands:
  check -f FILE...              validate a scenario and summarize the cluster
  sh    -f FILE... [-c LINE]    run terminal commands (kubectl, ssh, ip, ping …) on the cluster
  trace -f FILE... FROM TO      trace a packet from FROM to TO, hop by hop
  export linux -f FILE...       print a bash script that builds the cluster's network in Linux
                                network namespaces (podpath export linux -f c.yaml > lab.sh)
  policy matrix|explain -f FILE  NetworkPolicy connectivity: the pod × pod matrix, or why FROM → TO
  lesson list|validate|start|solve|grade   lessons: list them, test them, grade submissions
  demo                          print the demo scenario (podpath demo > my-cluster.yaml)

Options for every command that loads a scenario:
  -f, --file FILE   a scenario file (multi-document Kubernetes YAML); repeat for more files;
                    '-' reads standard input
  --seed N          seed of the simulated cluster's random choices (pod name suffixes, MACs)
  -h, --help        show the command's help

Exit status: 0 success, 1 failure (invalid scenario, command failed, packet not delivered),
2 usage error. Run 'podpath <command> --help' for more.
`;

export const CHECK_USAGE = `Usage: podpath check -f FILE... [--seed N]

Load and validate the scenario. On success print the cluster's settings, its nodes (role,
InternalIP, pod range, pod count) and pods per namespace, and exit 0. On error print each error
as FILE:LINE:COLUMN: Kind/name: field: message on standard error and exit 1.
`;

export const SH_USAGE = `Usage: podpath sh -f FILE... [--seed N] [-c LINE]

Run commands in the same shell as the app's terminal, on the loaded cluster:
  -c LINE   run LINE, print its output, exit with its status
  (no -c)   standard input a terminal: an interactive shell (history, Tab completion,
            'exit' or Ctrl-D to leave); otherwise read standard input as a script, one
            command per line, and exit with the status of the last one
'kubectl apply -f PATH' inside the shell reads PATH from the real file system.
`;

export const TRACE_USAGE = `Usage: podpath trace -f FILE... [--seed N] FROM TO [--proto icmp|tcp|udp] [--port N]
                    [--size BYTES] [--host NAME] [--path PATH] [--json] [--pcap FILE]

Trace one packet from FROM to TO and its reply, hop by hop.
  FROM   [NAMESPACE/]POD, node/NAME, or external (the client outside the cluster, 198.51.100.10)
  TO     [NAMESPACE/]POD, node/NAME or an IPv4 address (a LoadBalancer IP, NODE-IP with --port NODEPORT)
  --proto P     icmp (echo request, the default), tcp (SYN) or udp
  --port N      destination port for tcp/udp (default 80); implies --proto tcp when no --proto
  --size BYTES  payload bytes (default 56 for icmp, as ping sends)
  --host NAME   an HTTP request through ingress-nginx with this Host header (implies tcp):
                client → controller, the Ingress rule that matched, nginx → backend pod
  --path PATH   the request path for --host (default /)
  --json        print the trace as JSON: {verdict, reason?, hops: [...], reply?}
  --pcap FILE   also write every hop's packet to FILE as pcapng (Wireshark, tcpdump -r):
                one interface per device, the frame as a capture there shows it
Exit status: 0 when the packet is delivered, 1 when it is dropped or unreachable.
`;

export const EXPORT_USAGE = `Usage: podpath export linux -f FILE... [--seed N]

Print a self-contained bash script that builds the cluster's network for real, as root, on any
Linux machine with iproute2: one network namespace per node and per pod, a bridge for the node
network, the devices, addresses, MTUs, routes, neighbour and FDB entries podpath simulates, the
kube-proxy rules, and a tiny TCP responder in each pod a Service sends to.
  podpath export linux -f cluster.yaml > lab.sh
  sudo bash lab.sh        build it, then try the commands it prints
  sudo bash lab.sh down   remove exactly what it built
Modes: flannel, flannel-host-gw, calico, calico-ipip, calico-vxlan, azure-cni, azure-cni-overlay,
gke (the VNet or VPC as routes in the node-network namespace). Cilium, weave, aws-vpc and gke-dataplane-v2 cannot be
exported (eBPF programs, an OVS datapath, the VPC fabric): exit status 1 says why.
`;

export const POLICY_USAGE = `Usage: podpath policy matrix -f FILE... [-n NAMESPACE] [--port N] [--proto P] [--json] [--intent]
       podpath policy explain -f FILE... FROM TO [--port N] [--proto P]

NetworkPolicy as the cluster's CNI enforces it.
  matrix    every pod × every pod (of NAMESPACE with -n) on one port: a truth table, rows are
            senders, columns receivers, '.' allowed, 'X' denied (as upstream's e2e prints it);
            --json prints {port, protocol, pods: ["ns/name", …], results: [{from, to, allowed}]}.
            On a CNI that does not enforce NetworkPolicy (flannel, aws-vpc without the policy
            controller) everything is allowed and the output says so; --intent shows what the
            policies alone would allow.
  explain   the verdict for FROM → TO and the policies and rules behind it (egress of the
            sender, ingress of the receiver). FROM/TO: [NAMESPACE/]POD, node/NAME or an IPv4.
  --port N      destination port (default 80)
  --proto P     tcp (default), udp, sctp or icmp
Exit status: matrix 0; explain 0 when the connection is allowed on this cluster, 1 when not.
`;

export const DEMO_USAGE = `Usage: podpath demo

Print the demo scenario (three Flannel nodes, a web Deployment, a client pod, a Service) to
standard output, to start a scenario of your own: podpath demo > my-cluster.yaml
`;

export const LESSON_USAGE = `Usage: podpath lesson list [--json]
       podpath lesson validate FILE|ID... [--seed S]
       podpath lesson start FILE|ID [--seed S]
       podpath lesson solve FILE|ID [--seed S] [--submission [--learner NAME]]
       podpath lesson grade FILE|ID SUBMISSION... [--csv|--json]

Lessons (docs/lessons.md): a lesson is a YAML file, named by its path or by the id of a built-in
lesson (src/lessons/ID.yaml).
  list       the built-in lessons: id, title, steps, topics (--json: an array of objects with
             id, title, order, topics, summary, activity, params, steps [{id, title}], questions)
  validate   the lesson's own test: each step's check fails at the step's start and passes after
             its reference solution; every prediction can be built; every question accepts its
             own answer. Exit 0 when every lesson given passes, 1 otherwise
  start      the scenario YAML at the lesson's start
  solve      the scenario YAML after every step's reference solution; --submission wraps it,
             with the solution's traces and commands, as a submission file
  grade      grade submissions (files, or folders of *.yaml files) by evaluating every step's
             check on each submission's own scenario; claims in the file are ignored. Prints
             each submission's score and feedback; --csv: one row per submission, one column
             per check, the total; --json: an array, one object per submission in order, with
             score, max and the per-check results
  --seed S   the learner's seed (per-learner params); default the empty seed
`;
