import { createTheme, darken, DEFAULT_THEME, defaultVariantColorsResolver, Input, parseThemeColor, PasswordInput } from '@mantine/core';
import type { MantineColorsTuple } from '@mantine/core';
import type { CSSVariablesResolver, VariantColorsResolver } from '@mantine/core';

/**
 * WCAG 2.1 AA contrast (1.4.3, checked by axe in test/e2e/a11y-story.test.ts). Mantine's warm and green palettes are
 * too light for text: their two darkest shades are darkened here, so `c="orange.9"` and the like reach 4.5:1 on white
 * and on the tinted badge backgrounds.
 */
const DARKEN: Record<string, number> = { red: 0.12, orange: 0.22, yellow: 0.38, green: 0.22, teal: 0.16, lime: 0.4, grape: 0.1 };
const colors = Object.fromEntries(Object.entries(DARKEN).map(([name, amount]) => {
  const c = [...DEFAULT_THEME.colors[name]!];
  c[8] = darken(c[8]!, amount);
  c[9] = darken(c[9]!, amount);
  return [name, c as unknown as MantineColorsTuple];
}));

/**
 * Every variant writes its label in the colour's darkest shade (Mantine uses mid shades, under 4.5:1 on white or on
 * the tinted background); filled warm and green colours are filled with it, so white text on them reads.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const resolved = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return resolved;
  const strong = `var(--mantine-color-${parsed.color}-9)`;
  switch (input.variant) {
    case 'light': case 'subtle': case 'transparent': return { ...resolved, color: strong };
    case 'outline': return { ...resolved, color: strong, border: `1px solid ${strong}` };
    case 'filled': return parsed.color in DARKEN
      ? { ...resolved, background: strong, hover: `var(--mantine-color-${parsed.color}-8)`, color: 'var(--mantine-color-white)' }
      : resolved;
    default: return resolved;
  }
};

/** Dimmed text (captions, hints, empty states) in a grey dark enough for 4.5:1 on white and on striped rows. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});

export const theme = createTheme({
  primaryColor: 'indigo',
  colors,
  variantColorResolver,
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
