import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { connectors } from '../../connectors/registry';
import type { AppConfig } from '../../platform/config';
import { workflowIds } from '../../platform/temporal';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { TenantId } from '../auth/tenant-id.decorator';
import { CONFIG } from '../tokens';
import { connectorCatalogEntry, type ConnectorCatalogEntry } from './connector-catalog';

const LOAD_ID_PLACEHOLDER = '{loadId}';

/** Read-only answers the console (and any client) needs besides the resources themselves. */
@ApiTags('console')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@ApiResponse({ status: 401, description: 'missing or invalid API key' })
@Controller('v1')
export class ConsoleController {
  private readonly catalog: ConnectorCatalogEntry[] = connectors.map(connectorCatalogEntry);

  constructor(@Inject(CONFIG) private readonly config: AppConfig) {}

  @Get('connectors')
  @ApiOperation({ summary: 'Installed connectors: credential and config JSON Schemas (secret fields marked writeOnly and listed), objects with keys, operations, fields and notes' })
  @ApiResponse({ status: 200, description: '{ connectors: [{ id, displayName, apiVersion, authScheme, credentials, secretFields, config, objects }] }' })
  list(): { connectors: ConnectorCatalogEntry[] } {
    return { connectors: this.catalog };
  }

  @Get('console/settings')
  @ApiOperation({ summary: "What the console needs to know about this deployment for the caller's tenant" })
  @ApiResponse({ status: 200, description: '{ tenantId, temporal: { namespace, loadWorkflowUrl | null } } ({loadId} in loadWorkflowUrl stands for the load id)' })
  settings(@TenantId() tenantId: string) {
    const ui = this.config.TEMPORAL_UI_URL?.replace(/\/+$/, '');
    const namespace = this.config.TEMPORAL_NAMESPACE;
    const workflowId = workflowIds.load(tenantId, LOAD_ID_PLACEHOLDER);
    return {
      tenantId,
      temporal: {
        namespace,
        loadWorkflowUrl: ui
          ? `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId).replace(encodeURIComponent(LOAD_ID_PLACEHOLDER), LOAD_ID_PLACEHOLDER)}`
          : null,
      },
    };
  }
}
