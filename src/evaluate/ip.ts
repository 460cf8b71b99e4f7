import ipaddr from 'ipaddr.js';

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

/** Parse an address, turning IPv4-mapped IPv6 (`::ffff:127.0.0.2`, as Node reports) into IPv4. */
export function parseIp(address: string): Parsed | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed;
}

/** Whether an allowlist entry (address or CIDR, IPv4 or IPv6) is well formed. */
export function isValidAllowlistEntry(entry: string): boolean {
  return entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
}

/** A compiled allowlist: `matches(ip)` is true when the address is inside any entry. */
export interface AllowlistMatcher {
  matches(address: string): boolean;
}

/** Compile allowlist entries; throws a RangeError naming the first malformed entry. */
export function compileAllowlist(entries: readonly string[]): AllowlistMatcher {
  const ranges = entries.map((entry): [Parsed, number] => {
    if (!isValidAllowlistEntry(entry)) throw new RangeError(`invalid allowlist entry: ${entry}`);
    if (entry.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(entry);
      return [addr, bits];
    }
    const addr = parseIp(entry) as Parsed;
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  });
  return {
    matches(address) {
      const ip = parseIp(address);
      if (!ip) return false;
      return ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range as never, bits));
    },
  };
}
