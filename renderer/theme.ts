// Dense dark theme for control-room use: low glare, compact controls, one accent colour.
import { createTheme, type MantineColorsTuple } from '@mantine/core';

const dark: MantineColorsTuple = [
  '#c7cbd1',
  '#a9afb8',
  '#7f8793',
  '#5b6370',
  '#3b424d',
  '#2b313a',
  '#21262e',
  '#191d24',
  '#13161c',
  '#0d0f13',
];

const accent: MantineColorsTuple = [
  '#e5f3ff',
  '#cde2ff',
  '#9ac2ff',
  '#64a0ff',
  '#3984fe',
  '#1d72fe',
  '#0969ff',
  '#0058e4',
  '#004ecc',
  '#0043b5',
];

export const theme = createTheme({
  primaryColor: 'accent',
  primaryShade: { light: 6, dark: 7 },
  colors: { dark, accent },
  defaultRadius: 'xs',
  fontFamily: 'Inter, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", system-ui, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace',
  fontSizes: { xs: '11px', sm: '12px', md: '13px', lg: '15px', xl: '17px' },
  headings: { sizes: { h1: { fontSize: '20px' }, h2: { fontSize: '17px' }, h3: { fontSize: '15px' }, h4: { fontSize: '13px' } } },
  spacing: { xs: '6px', sm: '8px', md: '12px', lg: '16px', xl: '24px' },
  components: {
    Button: { defaultProps: { size: 'xs' } },
    TextInput: { defaultProps: { size: 'xs' } },
    PasswordInput: { defaultProps: { size: 'xs' } },
    Select: { defaultProps: { size: 'xs', allowDeselect: false } },
    MultiSelect: { defaultProps: { size: 'xs' } },
    NumberInput: { defaultProps: { size: 'xs' } },
    Textarea: { defaultProps: { size: 'xs' } },
    Checkbox: { defaultProps: { size: 'xs' } },
    Switch: { defaultProps: { size: 'xs' } },
    Badge: { defaultProps: { size: 'sm', radius: 'xs' } },
    Table: { defaultProps: { fz: 'xs', verticalSpacing: 4, horizontalSpacing: 'sm' } },
    Modal: { defaultProps: { centered: true, radius: 'xs', overlayProps: { backgroundOpacity: 0.6 } } },
    Alert: { defaultProps: { radius: 'xs', variant: 'light' } },
    Tabs: { defaultProps: { radius: 'xs' } },
  },
});
