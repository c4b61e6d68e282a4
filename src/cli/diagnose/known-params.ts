import { KNOWN_NAMES } from '../../parse/known-keys.js';

/**
 * Parameter names Alipay sends in notifications (protocol.md §2.1, §2.3, §6): the names the
 * parser knows (parse/known-keys.ts) plus those of other notification types. Keys outside
 * this list are the first suspects when a body fails because other parameters were merged in
 * (framework route or query parameters, pitfall P4). The list is only a heuristic: the
 * verifier itself never whitelists keys (P12).
 */
export const KNOWN_ALIPAY_PARAMS: ReadonlySet<string> = new Set<string>([
  ...KNOWN_NAMES,
  // common, older gateways
  'timestamp', 'method', 'service',
  // trade, refund
  'out_request_no', 'refund_status', 'refund_reason', 'refund_amount', 'dback_status',
  'dback_amount', 'bank_ack_time', 'send_back_fee', 'agreement_no', 'external_agreement_no', 'trans_currency',
  'settle_currency', 'settle_amount', 'pay_currency', 'pay_amount', 'settle_trans_rate', 'trans_pay_rate',
  'discount_goods_detail', 'refund_preset_paytool_list', 'charge_amount', 'charge_flags', 'settlement_id',
  'advance_amount', 'current_seller_received_amount', 'seller_received_total_amount', 'total_from_seller_fee',
  'ff_current_period', 'notify_action_type', 'discount_amount', 'mdiscount_amount', 'unfreeze_amount',
  'auth_trade_pay_mode', 'hb_fq_pay_info', 'receipt_currency_type', 'enterprise_pay_info', 'store_id', 'terminal_id',
  'operator_id', 'card_balance', 'store_name', 'body_type', 'industry_sepc_detail',
  // agreements, fund auth
  'status', 'alipay_user_id', 'alipay_logon_id', 'personal_product_code', 'sign_scene', 'sign_time', 'valid_time',
  'invalid_time', 'next_deduct_time', 'unsign_time', 'login_token', 'zm_open_id', 'credit_auth_mode', 'partner_id',
  'auth_no', 'out_order_no', 'operation_id', 'operation_type', 'amount', 'total_freeze_amount', 'total_unfreeze_amount',
  'total_pay_amount', 'rest_amount', 'payer_user_id', 'payer_logon_id', 'payer_open_id', 'gmt_trans',
  // service market
  'commodity_order_id', 'merchant_pid', 'name', 'contactor', 'phone', 'order_item_num', 'order_ticket', 'order_time',
  'service_code', 'title', 'total_price',
]);
