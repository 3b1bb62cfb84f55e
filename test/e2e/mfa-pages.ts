import type { Locator, Page } from 'playwright-core';

/** /account/security: two-step sign-in set-up, in the words the screen uses. */
export class TwoStepPage {
  constructor(private readonly page: Page) {}

  requiredNotice(): Locator {
    return this.page.getByTestId('mfa-required');
  }

  /** Starts the set-up; resolves with the key shown beside the QR code. */
  async start(): Promise<string> {
    await this.page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    await this.page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
    return (await this.page.getByTestId('mfa-secret').innerText()).trim();
  }

  /** Types the app's code and turns it on; resolves with the recovery codes shown once. */
  async confirm(code: string): Promise<string[]> {
    await this.page.getByLabel('Code from the app').fill(code);
    await this.page.getByRole('button', { name: 'Turn on' }).click();
    await this.page.getByTestId('recovery-codes').waitFor();
    return (await this.page.getByTestId('recovery-code').allInnerTexts()).map((c) => c.trim());
  }

  async savedCodes(): Promise<void> {
    await this.page.getByRole('button', { name: 'I have saved them' }).click();
  }

  status(): Locator {
    return this.page.getByTestId('mfa-status');
  }
}
