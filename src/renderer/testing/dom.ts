// Shared set-up for the renderer's component tests (*.test.tsx, `// @vitest-environment happy-dom`):
// Testing Library's cleanup after each test (vitest runs without globals, so it is not automatic).
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

export { render, screen, within, waitFor, fireEvent, act } from '@testing-library/react';
