// The first screen's facts about this installation, all of them read through the IPC contract.
import type { AppInfo } from '../state/app-store';

export function AboutPanel({ info }: { info: AppInfo }) {
  const { version, platform, dataDirectory } = info;
  return (
    <section className="panel" aria-labelledby="about-title">
      <h2 id="about-title">This installation</h2>
      <dl className="facts">
        <dt>Vigil version</dt>
        <dd data-testid="app-version">{version.app}</dd>
        <dt>Runtime</dt>
        <dd data-testid="runtime">
          {version.electron
            ? `Electron ${version.electron} · Chromium ${version.chrome ?? '?'}`
            : `Node ${version.node}`}
        </dd>
        <dt>Platform</dt>
        <dd data-testid="platform">
          {platform.os} ({platform.arch})
        </dd>
        <dt>Data directory</dt>
        <dd data-testid="data-directory">
          <code>{dataDirectory.path}</code>
        </dd>
      </dl>
      <p className="hint">
        Keys never leave this window; the data directory holds only encrypted keys and chain data.
      </p>
    </section>
  );
}
