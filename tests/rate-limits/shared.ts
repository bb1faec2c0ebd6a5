/** Environment for the rate-limit tests: small limits set before the app reads its config, and put back after. */
export function withEnv(values: Record<string, string>): () => void {
  const before: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(values)) {
    before[name] = process.env[name];
    process.env[name] = value;
  }
  return () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Distinct client IPs per test (documentation range 203.0.113.0/24), so budgets never mix. */
let next = 1;
export const freshIp = () => `203.0.113.${next++}`;
