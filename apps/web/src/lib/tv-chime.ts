/**
 * A short chime for a celebrated deal on a TV whose display has sound on: two notes synthesized
 * with the Web Audio API (no sound file). The caller rate-limits it with the celebration. A
 * browser that has not been allowed to play sound yet stays silent.
 */
let context: AudioContext | null = null;

const NOTES = [
  { hz: 880, at: 0, seconds: 0.18 },
  { hz: 1318.5, at: 0.12, seconds: 0.35 },
] as const;

export function playChime(): void {
  if (typeof AudioContext === 'undefined') return;
  context ??= new AudioContext();
  const audio = context;
  if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  const start = audio.currentTime + 0.02;
  for (const note of NOTES) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = note.hz;
    // A soft attack and an exponential fade: a bell, not a click.
    gain.gain.setValueAtTime(0.0001, start + note.at);
    gain.gain.exponentialRampToValueAtTime(0.25, start + note.at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + note.at + note.seconds);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + note.at);
    oscillator.stop(start + note.at + note.seconds + 0.05);
  }
}
