export { VaultGate } from './VaultGate';
export { UnlockScreen, checkNewPassphrase, type UnlockScreenProps } from './UnlockScreen';
export { MIN_PASSPHRASE_LENGTH, passphraseStrength, type PassphraseStrength, type StrengthLevel } from './strength';
