import { Button, createTheme, NumberInput, PasswordInput, Select, TextInput, type MantineColorsTuple } from '@mantine/core';

// A calm slate-blue primary: readable on dark and light, never shouting next to red prod badges.
const slate: MantineColorsTuple = ['#eef3fb', '#dce3f0', '#b5c5e2', '#8ca5d4', '#6a8ac8', '#5479c1', '#4870bf', '#395ea8', '#305398', '#234787'];

/** Dense by default: people coming from pgAdmin and Compass expect much on one screen. */
export const theme = createTheme({
  primaryColor: 'slate',
  colors: { slate },
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'sm',
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "Cascadia Code", "SFMono-Regular", Menlo, Consolas, monospace',
  fontSizes: { xs: '12px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
  headings: { sizes: { h3: { fontSize: '18px', lineHeight: '1.3' } } },
  components: {
    Button: Button.extend({ defaultProps: { size: 'xs' } }),
    TextInput: TextInput.extend({ defaultProps: { size: 'xs' } }),
    PasswordInput: PasswordInput.extend({ defaultProps: { size: 'xs' } }),
    NumberInput: NumberInput.extend({ defaultProps: { size: 'xs' } }),
    Select: Select.extend({ defaultProps: { size: 'xs' } }),
  },
});
