import { Badge } from '@mantine/core';
import type { Environment } from '@shared/model/workspace';

const COLORS: Record<Environment, string> = { dev: 'blue', staging: 'yellow', prod: 'red' };

/** prod is red everywhere it appears, so nobody mistakes it for a sandbox. */
export function EnvironmentBadge({ environment, size = 'sm' }: { environment: Environment; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge color={COLORS[environment]} variant={environment === 'prod' ? 'filled' : 'light'} size={size} radius="sm">
      {environment}
    </Badge>
  );
}
