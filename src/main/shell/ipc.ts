// Registers the request router on the one IPC channel, accepting requests only from our own frame.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { REQUEST_CHANNEL, type IpcResponse } from '../../shared/ipc';
import { dispatch, type HandlerTable } from '../ipc/router';
import { isOwnRendererUrl, type WindowPaths } from './window';

export function registerIpc(
  table: HandlerTable,
  paths: WindowPaths,
  log: (message: string) => void,
): void {
  ipcMain.handle(
    REQUEST_CHANNEL,
    async (
      event: IpcMainInvokeEvent,
      method: unknown,
      params: unknown,
    ): Promise<IpcResponse<unknown>> => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isOwnRendererUrl(frameUrl, paths)) {
        return {
          ok: false,
          error: {
            code: 'forbidden_sender',
            message: 'Requests are accepted only from the Vigil window.',
          },
        };
      }
      return dispatch(table, method, params, {
        onInternalError: (m, error) =>
          log(
            `request ${m} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ),
      });
    },
  );
}
