// The test responder's PTZ service (onvif-responder.ts, docs/design/ptz.md): plain answers to the
// calls the console makes; faults, garbage, huge and trickled answers come from the responder's
// per-action configuration like every other call's. Test seam only.

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** The body of a PTZ answer; `p` and `t` are the PTZ and schema prefixes in use. */
export function ptzAnswer(action: string, presetToken: string | undefined, presets: readonly { token: string; name: string }[], p: string, t: string): string {
  switch (action) {
    case 'GetNode':
    case 'GetNodes':
      return `<${p}${action}Response><${p}PTZNode token="node1"><${t}Name>node</${t}Name><${t}MaximumNumberOfPresets>100</${t}MaximumNumberOfPresets><${t}HomeSupported>true</${t}HomeSupported></${p}PTZNode></${p}${action}Response>`;
    case 'GetPresets':
      return `<${p}GetPresetsResponse>${presets.map((x) => `<${p}Preset token="${escapeXml(x.token)}"><${t}Name>${escapeXml(x.name)}</${t}Name></${p}Preset>`).join('')}</${p}GetPresetsResponse>`;
    case 'SetPreset':
      return `<${p}SetPresetResponse><${p}PresetToken>${escapeXml(presetToken ?? String(presets.length + 1))}</${p}PresetToken></${p}SetPresetResponse>`;
    case 'GetStatus':
      return `<${p}GetStatusResponse><${p}PTZStatus><${t}Position><${t}PanTilt x="0.25" y="-0.5"/><${t}Zoom x="0.1"/></${t}Position><${t}MoveStatus><${t}PanTilt>MOVING</${t}PanTilt><${t}Zoom>IDLE</${t}Zoom></${t}MoveStatus></${p}PTZStatus></${p}GetStatusResponse>`;
    case 'ContinuousMove':
    case 'Stop':
    case 'GotoPreset':
    case 'RemovePreset':
    case 'GotoHomePosition':
    case 'SetHomePosition':
      return `<${p}${action}Response/>`;
    default:
      throw new Error(`${action} is not supported`);
  }
}
