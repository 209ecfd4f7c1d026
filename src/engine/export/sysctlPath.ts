/**
 * A sysctl key → its /proc/sys path. Interface names may contain dots (`flannel.1`), so
 * `net.ipv4.conf.flannel.1.rp_filter` cannot be split on dots blindly: the device part is
 * matched against the namespace's device names first.
 */
const PER_DEVICE = /^net\.(ipv4|ipv6)\.(conf|neigh)\.(.+)$/;

export function sysctlPath(key: string, devices: readonly string[]): string {
  const m = PER_DEVICE.exec(key);
  if (m) {
    const rest = m[3];
    for (const dev of [...devices, 'all', 'default'].sort((a, b) => b.length - a.length)) {
      if (rest.startsWith(dev + '.')) return `net/${m[1]}/${m[2]}/${dev}/${rest.slice(dev.length + 1).replace(/\./g, '/')}`;
    }
  }
  return key.replace(/\./g, '/');
}

/** The device a per-device key names, if any (so it is written only after the device exists). */
export function sysctlDevice(key: string, devices: readonly string[]): string | undefined {
  const m = PER_DEVICE.exec(key);
  if (!m) return undefined;
  return devices.filter((d) => m[3].startsWith(d + '.')).sort((a, b) => b.length - a.length)[0];
}
