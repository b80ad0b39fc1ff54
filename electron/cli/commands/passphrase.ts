/**
 * The CLI's SecretBox: a passphrase from $CHARTER_PASSPHRASE, else asked on the terminal
 * (without echo). With neither, the box is unavailable and key commands say how to give one.
 */
import { PassphraseSecretBox } from '../../engine/keys/secret-box.ts';
import type { CommandContext } from '../command.ts';

export async function cliSecretBox(ctx: CommandContext): Promise<PassphraseSecretBox> {
  const fromEnv = ctx.env.CHARTER_PASSPHRASE;
  if (fromEnv) return new PassphraseSecretBox(fromEnv);
  if (!process.stdin.isTTY) return new PassphraseSecretBox('');
  return new PassphraseSecretBox(await promptHidden('signing key passphrase: '));
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let text = '';
    const onData = (data: Buffer): void => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.kill(process.pid, 'SIGINT');
          return;
        }
        text = ch === '\u007f' ? text.slice(0, -1) : text + ch;
      }
    };
    stdin.on('data', onData);
  });
}
