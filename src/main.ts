import { readFile } from 'node:fs/promises';
import { WorkflowError } from '../workflows/index.ts';
import { ConfigError, parseConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startService } from './service.ts';
import { staffDirectory } from './staff-directory.ts';

/** The entry point: `npm start` runs everything; `start:web` and `start:worker` run one role each. */
async function main(): Promise<void> {
  const role = (process.argv[2] ?? 'all') as 'all' | 'web' | 'worker';
  if (!['all', 'web', 'worker'].includes(role))
    throw new Error(`unknown role ${role}; use web, worker or nothing`);
  const config = parseConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);
  const settings = config.KEHILA_SETTINGS ? JSON.parse(await readFile(config.KEHILA_SETTINGS, 'utf8')) : {};
  const staff = config.KEHILA_SETTINGS ? staffDirectory(config.KEHILA_SETTINGS, logger) : undefined;
  const service = await startService({ config, logger, settings, role, ...(staff ? { staff } : {}) });
  if (service.signInLink) {
    // Printed, not logged: a secret that opens the dashboard has no place in collected logs.
    console.log(
      `\n  Sign in to the staff dashboard (the link works once, for 15 minutes):\n  ${service.signInLink}\n`,
    );
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await service.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof WorkflowError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
