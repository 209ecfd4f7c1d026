import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CNI_MODES, type Cluster } from '../model/cluster';
import { asPMap } from '../util/persistent';
import { op, step } from './commandGen';
import { load } from './testCluster';

/** Everything a command leaves in the cluster, in plain form (persistent maps as entries). */
function plain(c: Cluster) {
  const ipam = c.ipam;
  return {
    pods: [...c.pods],
    nodes: c.nodes,
    events: c.events?.toArray() ?? [],
    ipam: {
      lastReserved: [...asPMap(ipam.lastReserved)],
      blockFree: [...asPMap(ipam.blockFree)],
      nextIfindex: [...asPMap(ipam.nextIfindex)],
      pidCursor: [...asPMap(ipam.pidCursor)],
      nextEndpointId: ipam.nextEndpointId,
      nextPodCidrIndex: ipam.nextPodCidrIndex,
    },
    rngState: c.rngState,
    workloads: [...c.workloads],
  };
}

describe('the runtime a command hands on (runtime.ts)', () => {
  // A command from a cluster that came with its runtime gives what the same command gives when
  // the allocators, counts and scheduler index are rebuilt from the cluster (a copy of the
  // cluster object has no runtime): the hand-on is an optimisation, never a state of its own.
  it.each(CNI_MODES)('gives the same clusters as rebuilding from the cluster every time (%s)', (cni) => {
    const base = load(cni);
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        let handed = base;
        let rebuilt = { ...base };
        const a = { n: 0 };
        const b = { n: 0 };
        for (const o of ops) {
          handed = step(handed, o, a);
          rebuilt = step({ ...rebuilt }, o, b);
          expect(plain(handed)).toEqual(plain(rebuilt));
        }
      }),
      { numRuns: 12, seed: 1213 },
    );
  });

  it('leaves every earlier cluster as it was (the app undoes to them)', () => {
    let c = load('calico-ipip');
    const seen: [Cluster, string][] = [];
    const names = { n: 0 };
    const snap = (x: Cluster) => JSON.stringify(plain(x));
    for (const o of fc.sample(op, { numRuns: 40, seed: 7 })) {
      seen.push([c, snap(c)]);
      c = step(c, o, names);
    }
    for (const [old, text] of seen) expect(snap(old)).toBe(text);
  });
});
