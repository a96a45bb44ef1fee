import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { memorySource } from './measure.js';
import type { Machine } from './results.js';
import { drizzleKitVersion } from './tools.js';

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return `${m[1]} (Linux ${release()})`;
  } catch {
    // not Linux, or no os-release
  }
  return `${process.platform} ${release()}`;
}

/** The machine the numbers come from, for the results page. */
export function describeMachine(postgres: string, postgresSettings: string): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: osName(),
    node: process.version,
    postgres,
    postgresSettings,
    drizzleKit: drizzleKitVersion(),
    drizzleKitRc: drizzleKitVersion('rc'),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    memorySource: memorySource() === 'gnu-time' ? 'GNU time (%M, max RSS)' : '/proc/<pid>/status VmHWM, polled every 20 ms',
  };
}
