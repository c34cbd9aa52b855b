// The one action against an invalid exit, from its alert: the bond reward read from the challenge
// data, then the challenge signed here and relayed by main.
import { useEffect, useState } from 'react';
import { formatEther } from 'ethers';
import { request } from '../ipc/client';
import { errorText } from '../state/errors';
import { useExitStore } from '../state/exit-store';
import { ExitActionStatus, useSigner } from '../exits/ExitAction';
import { useFocusRequest } from './NoticeToasts';

export function ChallengeAction({ utxoPos }: { utxoPos: string }) {
  const signer = useSigner();
  const challenge = useExitStore((s) => s.challenge);
  const busy = useExitStore((s) => s.action?.activity != null);
  const [reward, setReward] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const challenger = signer?.owner;
  const [button, setButton] = useState<HTMLButtonElement | null>(null);
  // A notice about this exit opens here: the button takes the focus once the reward is known.
  useFocusRequest(`challenge:${utxoPos}`, button, reward !== null || problem !== null);
  useEffect(() => {
    let live = true;
    request('exit.challengeData', challenger ? { utxoPos, challenger } : { utxoPos }).then(
      (data) => live && setReward(data.bondReward),
      (error: unknown) => live && setProblem(errorText(error)),
    );
    return () => {
      live = false;
    };
  }, [utxoPos, challenger]);
  return (
    <div>
      <button
        ref={setButton}
        type="button"
        disabled={!signer || busy || reward === null}
        onClick={() => signer && void challenge(signer, utxoPos)}
      >
        Challenge this exit
        {reward !== null ? ` (you receive its ${formatEther(reward)} ETH bond)` : ''}
      </button>
      {problem && (
        <p role="alert" className="error">
          The challenge cannot be prepared yet: {problem}
        </p>
      )}
      <ExitActionStatus prefix={`challenge:${utxoPos}`} />
    </div>
  );
}
