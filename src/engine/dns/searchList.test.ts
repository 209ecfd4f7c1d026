import { describe, expect, it } from 'vitest';
import { candidateNames } from './searchList';
import { parseResolvConf } from './resolvConf';

const search = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

describe('stub resolver search order (ndots:5)', () => {
  it('short names: every search suffix, then the name (glibc and musl)', () => {
    const want = ['web.default.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.'];
    expect(candidateNames('web', search, 5, 'glibc')).toEqual(want);
    expect(candidateNames('web', search, 5, 'musl')).toEqual(want);
  });

  it('partly qualified names still go through the search list first', () => {
    expect(candidateNames('web.default', search, 5, 'glibc')).toEqual(['web.default.default.svc.cluster.local.', 'web.default.svc.cluster.local.', 'web.default.cluster.local.', 'web.default.']);
  });

  it('external names with fewer than 5 dots are searched too (the ndots:5 cost)', () => {
    expect(candidateNames('google.com', search, 5, 'musl')).toEqual(['google.com.default.svc.cluster.local.', 'google.com.svc.cluster.local.', 'google.com.cluster.local.', 'google.com.']);
  });

  it('a trailing dot is absolute: only the name', () => {
    expect(candidateNames('web.default.svc.cluster.local.', search, 5, 'glibc')).toEqual(['web.default.svc.cluster.local.']);
  });

  it('at least ndots dots: glibc tries the name first then searches, musl only the name', () => {
    expect(candidateNames('a.b.c.d.e.f', search, 5, 'glibc')[0]).toBe('a.b.c.d.e.f.');
    expect(candidateNames('a.b.c.d.e.f', search, 5, 'glibc')).toHaveLength(4);
    expect(candidateNames('a.b.c.d.e.f', search, 5, 'musl')).toEqual(['a.b.c.d.e.f.']);
  });

  it('BusyBox 1.36 nslookup: suffixes only for dotless names, never the bare name; dotted names as given', () => {
    expect(candidateNames('web', search, 5, 'busybox-nslookup')).toEqual(['web.default.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.']);
    expect(candidateNames('web.default', search, 5, 'busybox-nslookup')).toEqual(['web.default.']);
  });

  it('parses resolv.conf: ndots, search, nameservers', () => {
    const c = parseResolvConf('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(c).toMatchObject({ nameservers: ['10.96.0.10'], search, ndots: 5 });
  });
});
