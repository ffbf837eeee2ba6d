package web

// registerInvoiceExport waits for xlsx.NewInvoiceList (TODO(wire): the xlsx branch).
func (s *Server) registerInvoiceExport() {}
