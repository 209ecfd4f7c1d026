/**
 * Lessons as the engine holds them (docs/lessons.md is the contract): a lesson file decoded into
 * typed records, the check vocabulary, the learner's context the checks read, and what the
 * evaluators return. A `Check` keeps the YAML shape (an object with exactly one key naming its
 * kind), so a check written by the app's authoring view serializes back to the file unchanged.
 */
import type { Cluster } from '../model/cluster';
import type { CommandRecord } from '../shell/types';
import type { TraceRequest, Verdict } from '../trace/traceTypes';

// ── checks ────────────────────────────────────────────────────────────────

/** A number, or an inclusive range (either end may be open). */
export type Count = number | { min?: number; max?: number };

export interface PodCheck {
  name: string;
  node?: string;
  ipIn?: string;
  status?: string;
  reason?: string;
  exists?: boolean;
  labels?: Record<string, string>;
}
export interface PodsCheck {
  namespace?: string;
  selector?: Record<string, string>;
  node?: string;
  status?: string;
  count: Count;
}
export interface NodeCheck {
  name: string;
  podCIDR?: string;
  unschedulable?: boolean;
  labels?: Record<string, string>;
  /** Taints the node must carry, `key[=value]:Effect` as kubectl taint writes them. */
  taints?: string[];
}
export interface ObjectCheck {
  kind: string;
  name: string;
  namespace?: string;
  exists?: boolean;
  /** `{ "spec.type": "NodePort" }`: dotted paths into the manifest (numbers index lists). */
  fields?: Record<string, unknown>;
}
export interface ServiceCheck {
  name: string;
  type?: string;
  clusterIPIn?: string;
  endpoints?: Count;
}
export interface EventCheck {
  reason: string;
  kind?: string;
  name?: string;
  type?: 'Normal' | 'Warning';
  messageIncludes?: string;
}
/** Where a hop is: every given field must match (`node: null` is not expressible: use netns `net/…`). */
export interface HopPlace {
  node?: string;
  device?: string;
  netns?: string;
}
export interface TraceExpect {
  verdict?: Verdict;
  crosses?: HopPlace | HopPlace[];
  avoids?: HopPlace | HopPlace[];
  /** `false`: no encapsulation on any hop. */
  encap?: { type: 'vxlan' | 'ipip' | 'wireguard' | 'geneve'; vni?: number } | false;
  /** `chain`: a chain on the DNAT's path (KUBE-SVC-…, KUBE-SEP-…, an nft chain) or the translator (IPVS, cgroup/connect4); `to`: `IP[:port]` after DNAT. */
  dnat?: { chain?: string; to?: string };
  /** `policy`: `[ns/]name` of a NetworkPolicy that decided the drop; `hook`: PREROUTING…POSTROUTING, or the eBPF program. */
  droppedBy?: { policy?: string; hook?: string };
  /** The largest frame on the wire, in bytes. */
  wireBytes?: Count;
}
export interface TraceCheck extends TraceExpect {
  from?: string;
  to?: string;
  proto?: 'icmp' | 'tcp' | 'udp';
  port?: number;
  /** Payload size (ping -s) and Don't Fragment (ping -M do), as in TraceRequest. */
  size?: number;
  df?: boolean;
  /** The learner's last trace (LessonContext.traces), re-run on the current cluster. */
  last?: boolean;
  reply?: TraceExpect;
}
export interface PolicyCheck {
  from: string;
  to: string;
  port?: number;
  proto?: 'TCP' | 'UDP' | 'SCTP' | 'ICMP';
  allowed: boolean;
}
export interface DnsCheck {
  from: string;
  name: string;
  type?: 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT';
  rcode?: string;
  answerIncludes?: string | string[];
  answerCount?: Count;
}
export interface CommandCheck {
  /** An ERE (GNU egrep syntax, engine/util/regex) searched in the line. */
  matches: string;
  status?: number;
  stdoutIncludes?: string;
  /** `host`, `pod [ns/]NAME` or `node NAME`: where the line ran. */
  place?: string;
  /** How many such lines (default: at least 1). */
  count?: Count;
}
export interface SysctlCheck {
  node: string;
  key: string;
  value: string;
}
export interface AnswerCheck {
  question: string;
}

export type Check =
  | { all: Check[] }
  | { any: Check[] }
  | { not: Check }
  | { pod: PodCheck }
  | { pods: PodsCheck }
  | { node: NodeCheck }
  | { object: ObjectCheck }
  | { service: ServiceCheck }
  | { event: EventCheck }
  | { trace: TraceCheck }
  | { policy: PolicyCheck }
  | { dns: DnsCheck }
  | { command: CommandCheck }
  | { sysctl: SysctlCheck }
  | { answer: AnswerCheck };

export const CHECK_KINDS = ['all', 'any', 'not', 'pod', 'pods', 'node', 'object', 'service', 'event', 'trace', 'policy', 'dns', 'command', 'sysctl', 'answer'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** The kind of a check: its one key. */
export function checkKind(c: Check): CheckKind {
  return Object.keys(c)[0] as CheckKind;
}

export interface CheckResult {
  pass: boolean;
  kind: string;
  /** What was expected and what the engine found. */
  message: string;
  children?: CheckResult[];
}

// ── the lesson file ───────────────────────────────────────────────────────

export type Param = { choose: (string | number)[] } | { range: [number, number] };

/** Shell lines and/or YAML documents applied like `kubectl apply -f`. */
export interface Actions {
  commands?: string[];
  patch?: string;
}
export interface Solution extends Actions {
  traces?: TraceRequest[];
}

export type PredictAsk = 'next-device' | 'node' | 'verdict' | 'dnat-endpoint' | 'wire-bytes' | 'encap';
export const PREDICT_ASKS: readonly PredictAsk[] = ['next-device', 'node', 'verdict', 'dnat-endpoint', 'wire-bytes', 'encap'];

export interface Predict {
  trace: TraceRequest;
  ask: PredictAsk;
  /** Stop before the first hop matching this (next-device, node, wire-bytes, encap). */
  at?: { action?: string; node?: string; device?: string; netns?: string };
}

export interface Step {
  id: string;
  title: string;
  explain: string;
  task: string;
  setup?: Actions;
  check: Check;
  hints: string[];
  solution: Solution;
  notice?: string;
  predict?: Predict;
  /** Activity only; default 1. */
  points: number;
  feedback?: string;
}

export type Question =
  | { id: string; type: 'text'; prompt: string; accept: string[]; explain?: string }
  | { id: string; type: 'choice'; prompt: string; choices: string[]; answer: number; explain?: string };

export type ScenarioSource = { builtin: string } | { yaml: string };

export interface LessonSpec {
  activity: boolean;
  scenario: ScenarioSource;
  steps: Step[];
  questions: Question[];
}

export interface LessonMeta {
  id: string;
  title: string;
  order?: number;
  topics: string[];
  summary?: string;
}

export interface Lesson {
  meta: LessonMeta;
  /** The file it was read from (error messages, `lesson validate`). */
  file: string;
  params: Record<string, Param>;
  /** Decoded with every param at its first value (what `lesson list` and the editor show). */
  spec: LessonSpec;
  /** `spec` as parsed, before `${param}` substitution; instantiate() decodes it again per seed. */
  rawSpec: Record<string, unknown>;
}

/** A lesson for one learner: params chosen from the seed, `${}` substituted. */
export interface LessonInstance {
  lesson: Lesson;
  seed: string;
  values: Record<string, string | number>;
  spec: LessonSpec;
}

// ── the learner's context ─────────────────────────────────────────────────

export type { CommandRecord };

export interface LessonContext {
  cluster: Cluster;
  /** Traces the learner ran (Trace panel, terminal ping/curl/traceroute/nc), oldest first. */
  traces: TraceRequest[];
  /** Shell lines the learner ran, oldest first. */
  commands: CommandRecord[];
  /** Practice answers by question id. */
  answers: Record<string, string>;
}

// ── predictions, validation, grading ──────────────────────────────────────

export interface Prediction {
  request: TraceRequest;
  /** Index of the hop the animation stops before; -1: before the verdict. */
  stopBeforeHop: number;
  question: string;
  choices: string[];
  answer: number;
  /** explain[i]: why choice i is right or wrong, from the hop's data. */
  explain: string[];
}

export interface StepValidation {
  step: string;
  /** The check at the step's start (after its setup): must fail. */
  before: CheckResult;
  /** The check after the step's reference solution: must pass. */
  after: CheckResult;
  /** Why the step could not be set up or solved (a setup/solution command failed to apply …). */
  error?: string;
  prediction?: { ok: boolean; message: string };
  ok: boolean;
}

export interface ValidationReport {
  lesson: string;
  seed: string;
  ok: boolean;
  steps: StepValidation[];
  questions: { id: string; ok: boolean; message: string }[];
  /** A failure before any step (the scenario does not load). */
  error?: string;
}

export interface GradeCheck {
  step: string;
  points: number;
  max: number;
  pass: boolean;
  message: string;
  /** The step's `feedback` when it failed. */
  feedback?: string;
}

export interface Grade {
  learner: string;
  lesson: string;
  seed: string;
  score: number;
  max: number;
  checks: GradeCheck[];
  error?: string;
}

export interface Submission {
  lesson: string;
  seed: string;
  learner: string;
  scenario: string;
  traces: TraceRequest[];
  commands: CommandRecord[];
  answers: Record<string, string>;
}
