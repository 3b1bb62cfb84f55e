import { TextInput } from '@mantine/core';
import type { TextInputProps } from '@mantine/core';

/**
 * A date typed as YYYY-MM-DD. A plain text field rather than `type="date"`, whose display follows the browser
 * locale (e.g. mm/dd/yyyy) and would contradict the YYYY-MM-DD shown everywhere else.
 */
export function DateField(props: Omit<TextInputProps, 'type'>) {
  return (
    <TextInput
      placeholder="YYYY-MM-DD"
      inputMode="numeric"
      autoComplete="off"
      maxLength={10}
      {...props}
    />
  );
}
