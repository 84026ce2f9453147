// Renderer entry: picks the transport, loads the languages, mounts the app.
import '@mantine/core/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { App } from './App';
import { ApiContext } from './api/api-context';
import { createApiClient } from './api/client';
import { initI18n } from './i18n';
import { theme } from './theme';

async function start(): Promise<void> {
  await initI18n();
  const api = createApiClient();
  const root = document.getElementById('root');
  if (!root) throw new Error('missing #root');
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="dark" forceColorScheme="dark">
        <ApiContext value={api}>
          <App />
        </ApiContext>
      </MantineProvider>
    </StrictMode>,
  );
}

void start();
