// First run: create a wallet (a new recovery phrase, shown once and confirmed by typing some of
// its words back) or import one (a phrase, a raw private key or a keystore JSON file), protected
// by a password.
import { useState } from 'react';
import { Busy } from '../shell/Busy';
import { useSessionStore, type WalletSource } from '../state/session-store';
import {
  checkConfirmation,
  confirmationChallenge,
  MIN_PASSWORD_LENGTH,
  type ConfirmationChallenge,
} from '../wallet/vault';

type Method = 'create' | 'mnemonic' | 'privateKey' | 'keystore';

const methods: { id: Method; label: string }[] = [
  { id: 'create', label: 'Create a new wallet' },
  { id: 'mnemonic', label: 'Import a recovery phrase' },
  { id: 'privateKey', label: 'Import a private key' },
  { id: 'keystore', label: 'Import a keystore file' },
];

export function OnboardingScreen() {
  const { startOnboarding, finishOnboarding, busy, error, clearError } = useSessionStore();
  const [method, setMethod] = useState<Method>('create');
  const [words, setWords] = useState<12 | 24>(12);
  const [secret, setSecret] = useState('');
  const [keystorePassword, setKeystorePassword] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [phrase, setPhrase] = useState<string | null>(null);
  const [challenge, setChallenge] = useState<ConfirmationChallenge | null>(null);

  function source(): WalletSource {
    switch (method) {
      case 'create':
        return { kind: 'create', words };
      case 'mnemonic':
        return { kind: 'mnemonic', phrase: secret };
      case 'privateKey':
        return { kind: 'privateKey', privateKey: secret };
      case 'keystore':
        return { kind: 'keystore', json: secret, password: keystorePassword };
    }
  }

  async function submit() {
    clearError();
    if (password.length < MIN_PASSWORD_LENGTH)
      return setFormError(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
    if (password !== repeat)
      return setFormError('The two passwords differ: type the same one twice.');
    if (method !== 'create' && !secret.trim())
      return setFormError('Paste what you are importing first.');
    setFormError(null);
    const started = await startOnboarding(source(), password);
    setSecret('');
    setKeystorePassword('');
    if (started?.phrase) {
      setPassword('');
      setRepeat('');
      setPhrase(started.phrase);
    }
  }

  if (phrase && !challenge)
    return (
      <section className="panel" aria-labelledby="phrase-title">
        <h2 id="phrase-title">Write down your recovery phrase</h2>
        <p>
          These {phrase.split(' ').length} words are the only way to restore this wallet. Write them
          on paper, in order, and keep them offline. Vigil shows them this once.
        </p>
        <ol className="mnemonic" aria-label="Recovery phrase">
          {phrase.split(' ').map((word, i) => (
            <li key={i}>{word}</li>
          ))}
        </ol>
        <button
          type="button"
          onClick={() => setChallenge(confirmationChallenge(phrase.split(' ').length, 3))}
        >
          I wrote them down
        </button>
      </section>
    );

  if (phrase && challenge)
    return (
      <ConfirmWords
        phrase={phrase}
        challenge={challenge}
        busy={busy}
        error={error}
        onConfirmed={async () => {
          if (await finishOnboarding()) setPhrase(null);
        }}
      />
    );

  return (
    <section className="panel" aria-labelledby="onboarding-title">
      <h2 id="onboarding-title">Set up your wallet</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset>
          <legend>How do you want to start?</legend>
          {methods.map((m) => (
            <label key={m.id} className="check">
              <input
                type="radio"
                name="method"
                checked={method === m.id}
                onChange={() => {
                  setMethod(m.id);
                  setSecret('');
                }}
              />
              {m.label}
            </label>
          ))}
        </fieldset>
        {method === 'create' && (
          <label className="field">
            Phrase length
            <select value={words} onChange={(e) => setWords(Number(e.target.value) as 12 | 24)}>
              <option value={12}>12 words</option>
              <option value={24}>24 words</option>
            </select>
          </label>
        )}
        {method === 'mnemonic' && (
          <label className="field">
            Recovery phrase
            <textarea
              value={secret}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setSecret(e.target.value)}
            />
          </label>
        )}
        {method === 'privateKey' && (
          <label className="field">
            Private key (64 hex digits)
            <input
              type="password"
              value={secret}
              autoComplete="off"
              onChange={(e) => setSecret(e.target.value)}
            />
          </label>
        )}
        {method === 'keystore' && (
          <>
            <label className="field">
              Keystore file
              <input
                type="file"
                accept="application/json,.json"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file) void file.text().then(setSecret);
                }}
              />
            </label>
            <label className="field">
              The keystore file's password
              <input
                type="password"
                value={keystorePassword}
                autoComplete="off"
                onChange={(e) => setKeystorePassword(e.target.value)}
              />
            </label>
          </>
        )}
        <label className="field">
          New password for this wallet
          <input
            type="password"
            value={password}
            autoComplete="new-password"
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label className="field">
          Repeat the password
          <input
            type="password"
            value={repeat}
            autoComplete="new-password"
            onChange={(e) => setRepeat(e.target.value)}
          />
        </label>
        {(formError ?? error) && (
          <p role="alert" className="error">
            {formError ?? error}
          </p>
        )}
        {busy && <Busy text={busy} />}
        <button type="submit" disabled={busy !== null}>
          {method === 'create' ? 'Create wallet' : 'Import wallet'}
        </button>
      </form>
    </section>
  );
}

function ConfirmWords(props: {
  phrase: string;
  challenge: ConfirmationChallenge;
  busy: string | null;
  error: string | null;
  onConfirmed(): Promise<void>;
}) {
  const { phrase, challenge } = props;
  const [answers, setAnswers] = useState<string[]>(challenge.positions.map(() => ''));
  const [wrong, setWrong] = useState<number[]>([]);
  return (
    <section className="panel" aria-labelledby="confirm-title">
      <h2 id="confirm-title">Confirm your recovery phrase</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const mismatched = checkConfirmation(phrase, challenge, answers);
          setWrong(mismatched);
          if (mismatched.length === 0) void props.onConfirmed();
        }}
      >
        {challenge.positions.map((p, i) => (
          <label key={p} className="field">
            Word {p + 1}
            <input
              value={answers[i]}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={wrong.includes(p)}
              onChange={(e) => setAnswers(answers.map((a, j) => (j === i ? e.target.value : a)))}
            />
          </label>
        ))}
        {wrong.length > 0 && (
          <p role="alert" className="error">
            Word{wrong.length > 1 ? 's' : ''} {wrong.map((p) => p + 1).join(', ')} do not match your
            phrase. Check what you wrote down.
          </p>
        )}
        {props.error && (
          <p role="alert" className="error">
            {props.error}
          </p>
        )}
        {props.busy && <Busy text={props.busy} />}
        <button type="submit" disabled={props.busy !== null}>
          Confirm and save
        </button>
      </form>
    </section>
  );
}
