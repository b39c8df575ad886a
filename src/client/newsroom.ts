/// <reference types="vite/client" />
/**
 * The newsroom's script, loaded only on /newsroom pages. Each module finds its
 * own elements by data attribute and does nothing on pages without them; the
 * pages work as plain forms where they can, and the rich-text editor needs it.
 */
import '../newsroom/views/newsroom.css';
import '../newsroom/views/editor.css';
import '../newsroom/views/stories.css';
import '../newsroom/views/taxonomy.css';
import '../newsroom/views/people.css';
import '../newsroom/views/wires.css';
import '../newsroom/views/fronts.css';
import './newsroom/confirm.js';
import './newsroom/editor.js';
import './newsroom/site-page-editor.js';
import './newsroom/stories.js';
import './newsroom/people.js';
import './newsroom/wires.js';
import './newsroom/fronts.js';
import { relativeTime } from '../web/relative-time.js';

function refreshTimes(): void {
  const now = new Date();
  for (const el of document.querySelectorAll<HTMLTimeElement>('time[data-relative]')) {
    const text = relativeTime(el.dateTime, now);
    if (text && el.textContent !== text) el.textContent = text;
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', refreshTimes);
else refreshTimes();
setInterval(refreshTimes, 30_000);
