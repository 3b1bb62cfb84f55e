import { createTheme, Input, PasswordInput } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 7,
  defaultRadius: 'md',
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
  components: {
    Table: { defaultProps: { verticalSpacing: 'xs', highlightOnHover: true } },
    Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
    Badge: { defaultProps: { tt: 'none' } },
    // Every text input, select and textarea (they all build on Input) gets the same clear focus ring as buttons
    // (WCAG 2.4.7): `.tb-input` in styles.css.
    Input: Input.extend({ classNames: { input: 'tb-input' } }),
    // Mantine keeps the show-password button out of the tab order; a keyboard user should reach it too.
    PasswordInput: PasswordInput.extend({ defaultProps: { visibilityToggleButtonProps: { tabIndex: 0, 'aria-hidden': false, 'aria-label': 'Show or hide the characters typed' } } }),
  },
});
