import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installApi } from './api.ts';
import { App } from './App.tsx';

installApi();
const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
