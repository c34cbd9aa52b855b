// One sentence for any failure a screen shows: IPC errors already carry a plain-words message.
export function errorText(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return typeof error === 'string' && error ? error : 'Something went wrong inside Vigil.';
}
