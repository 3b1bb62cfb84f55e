import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';

export type Errors = Record<string, string>;

/**
 * Field errors for a hand-written form: after errors are set, focus moves to the first invalid field
 * (Mantine marks it aria-invalid), so keyboard and screen-reader users land on what needs fixing.
 */
export function useFormErrors() {
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrorsState] = useState<Errors>({});
  const [focusTick, setFocusTick] = useState(0);

  useEffect(() => {
    if (focusTick === 0) return;
    const el = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  }, [focusTick]);

  const setErrors = useCallback((next: Errors) => {
    setErrorsState(next);
    if (Object.keys(next).length > 0) setFocusTick((t) => t + 1);
  }, []);

  const clearError = useCallback((key: string) => {
    setErrorsState((prev) => {
      if (!(key in prev)) return prev;
      const { [key]: _removed, ...rest } = prev;
      return rest;
    });
  }, []);

  return { formRef, errors, setErrors, clearError };
}

/** Wraps a submit handler: prevents the browser's navigation. */
export function onSubmit(fn: () => void) {
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    fn();
  };
}

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isValidDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** Issues whose field is not shown on the form (so they can be listed in the form-level alert). */
export function unplacedErrors(errors: Errors, known: (key: string) => boolean): string[] {
  return Object.entries(errors).filter(([k]) => !known(k)).map(([k, m]) => (k ? `${k}: ${m}` : m));
}
