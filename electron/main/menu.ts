// Minimal application menu: quit, full screen for the wall, edit shortcuts; developer tools only unpackaged.
import { Menu, type MenuItemConstructorOptions } from 'electron';

export function installMenu(options: { developer: boolean }): void {
  const template: MenuItemConstructorOptions[] = [];
  if (process.platform === 'darwin') template.push({ role: 'appMenu' });
  template.push({ label: 'Console', submenu: [{ role: 'togglefullscreen' }, { type: 'separator' }, { role: 'quit' }] });
  template.push({ role: 'editMenu' });
  if (options.developer) template.push({ label: 'Developer', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }] });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
